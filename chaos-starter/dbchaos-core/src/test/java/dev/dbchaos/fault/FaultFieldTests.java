package dev.dbchaos.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FaultField}.
 */
class FaultFieldTests {

	// A value for every field, each different, so that a field wired to another's setter
	// or
	// getter shows; delay and jitter apply to latency faults, sqlState, vendorCode and
	// message to
	// errors, afterRows to result resets, table and mode to locks, connections to pool
	// exhaustion.
	private static final Map<FaultField<?>, Object> SAMPLES = samples();

	@Test
	void everyFieldHasASample() {
		assertThat(SAMPLES.keySet()).as("samples for every field").containsExactlyElementsOf(FaultField.all());
	}

	@Test
	void everyFieldReadsBackTheValueItWasBuiltWith() {
		for (FaultField<?> field : FaultField.all()) {
			if (field != FaultField.TYPE) {
				assertThat(builtWithSamples(typeOf(field)).get(field)).as(field.name()).isEqualTo(SAMPLES.get(field));
			}
		}
		assertThat(builtWithSamples(FaultType.LATENCY).getType()).isEqualTo(FaultType.LATENCY);
		assertThat(builtWithSamples(FaultType.ERROR).getType()).isEqualTo(FaultType.ERROR);
	}

	/**
	 * A fault of a type with the samples of the fields that apply to it; latency faults
	 * take every field but those of one other type only.
	 */
	private static FaultSpec builtWithSamples(FaultType type) {
		return FaultSpec.of((field) -> {
			if (field == FaultField.TYPE) {
				return type;
			}
			return (typeOf(field) == type || field == FaultField.ID) ? SAMPLES.get(field) : null;
		});
	}

	private static FaultType typeOf(FaultField<?> field) {
		if (isErrorField(field)) {
			return FaultType.ERROR;
		}
		if (field == FaultField.TABLE || field == FaultField.MODE) {
			return FaultType.LOCK;
		}
		if (field == FaultField.CONNECTIONS) {
			return FaultType.POOL_EXHAUSTION;
		}
		return (field == FaultField.AFTER_ROWS) ? FaultType.RESULT_RESET : FaultType.LATENCY;
	}

	@Test
	void fieldsAreListedByTheirJsonNamesInTheOrderTheyAreChecked() {
		assertThat(FaultField.names()).containsExactly("type", "operation", "sql", "dataSource", "probability", "count",
				"duration", "scope", "id", "delay", "jitter", "sqlState", "vendorCode", "message", "afterRows", "table",
				"mode", "connections");
		assertThat(FaultField.named("sqlState")).contains(FaultField.SQL_STATE);
		assertThat(FaultField.named("sql-state")).isEmpty();
	}

	@Test
	void propertyNamesAreInKebabCase() {
		assertThat(FaultField.SQL_STATE.propertyName()).isEqualTo("sql-state");
		assertThat(FaultField.DATA_SOURCE.propertyName()).isEqualTo("data-source");
		assertThat(FaultField.DELAY.propertyName()).isEqualTo("delay");
	}

	@Test
	void valuesAreWrittenInJsonAsTheEndpointTakesThem() {
		assertThat(FaultField.TYPE.toJson(FaultType.READ_ONLY)).isEqualTo("read-only");
		assertThat(FaultField.OPERATION.toJson(Operation.QUERY)).isEqualTo("query");
		assertThat(FaultField.DELAY.toJson(Duration.ofMillis(250))).isEqualTo("250ms");
		assertThat(FaultField.DELAY.toJson(Duration.ofMinutes(2))).isEqualTo("120000ms");
		assertThat(FaultField.JITTER.toJson(Duration.ofNanos(1500))).isEqualTo("1500ns");
		assertThat(FaultField.PROBABILITY.toJson(0.5)).isEqualTo(0.5);
		assertThat(FaultField.COUNT.toJson(3)).isEqualTo(3);
		assertThat(FaultField.SCOPE.toJson(null)).isNull();
	}

	@Test
	void aRuleBuiltFromValuesIsCheckedNamingTheOffendingField() {
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> FaultSpec.of((field) -> switch (field.name()) {
				case "type" -> FaultType.OUTAGE;
				case "probability" -> 1.5;
				default -> null;
			}))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("probability"));
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> FaultSpec.of((field) -> null))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("type"));
	}

	@Test
	void theTypeIsGivenToTheBuilderNotSetOnIt() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FaultSpec.builder(FaultType.OUTAGE).set(FaultField.TYPE, FaultType.HANG));
	}

	@Test
	void aValueOfAnotherTypeThanTheFieldTakesIsAProgrammingError() {
		assertThatExceptionOfType(ClassCastException.class)
			.isThrownBy(() -> FaultSpec.of((field) -> switch (field.name()) {
				case "type" -> FaultType.OUTAGE;
				case "count" -> "3";
				default -> null;
			}));
	}

	private static boolean isErrorField(FaultField<?> field) {
		return field == FaultField.SQL_STATE || field == FaultField.VENDOR_CODE || field == FaultField.MESSAGE;
	}

	private static Map<FaultField<?>, Object> samples() {
		Map<FaultField<?>, Object> samples = new LinkedHashMap<>();
		samples.put(FaultField.TYPE, FaultType.LATENCY);
		samples.put(FaultField.OPERATION, Operation.QUERY);
		samples.put(FaultField.SQL, "(?i)from sneakers");
		samples.put(FaultField.DATA_SOURCE, "orders");
		samples.put(FaultField.PROBABILITY, 0.25);
		samples.put(FaultField.COUNT, 3);
		samples.put(FaultField.DURATION, Duration.ofMinutes(2));
		samples.put(FaultField.SCOPE, "t-1");
		samples.put(FaultField.ID, "slow");
		samples.put(FaultField.DELAY, Duration.ofMillis(250));
		samples.put(FaultField.JITTER, Duration.ofMillis(50));
		samples.put(FaultField.SQL_STATE, "40001");
		samples.put(FaultField.VENDOR_CODE, 1213);
		samples.put(FaultField.MESSAGE, "could not serialize access");
		samples.put(FaultField.AFTER_ROWS, 100);
		samples.put(FaultField.TABLE, "stock");
		samples.put(FaultField.MODE, "share");
		samples.put(FaultField.CONNECTIONS, 8);
		return samples;
	}

}
