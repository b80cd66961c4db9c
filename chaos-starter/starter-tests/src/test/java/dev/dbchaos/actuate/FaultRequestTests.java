package dev.dbchaos.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;
import dev.dbchaos.fault.Operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FaultRequest}.
 */
class FaultRequestTests {

	@Test
	void jsonBodyWithEveryFieldBecomesTheFaultItDescribes() {
		FaultSpec spec = fromJson("{\"type\":\"latency\",\"operation\":\"query\",\"sql\":\"(?i)select\","
				+ "\"dataSource\":\"orders\",\"probability\":0.25,\"count\":3,\"duration\":\"PT2M\",\"scope\":\"t-1\","
				+ "\"id\":\"slow\",\"delay\":\"250ms\",\"jitter\":\"50ms\"}")
			.toSpec();
		assertThat(spec.getType()).isEqualTo(FaultType.LATENCY);
		assertThat(spec.getOperation()).isEqualTo(Operation.QUERY);
		assertThat(spec.getSql().pattern()).isEqualTo("(?i)select");
		assertThat(spec.getDataSource()).isEqualTo("orders");
		assertThat(spec.getProbability()).isEqualTo(0.25);
		assertThat(spec.getCount()).isEqualTo(3);
		assertThat(spec.getDuration()).isEqualTo(Duration.ofMinutes(2));
		assertThat(spec.getScope()).isEqualTo("t-1");
		assertThat(spec.getId()).isEqualTo("slow");
		assertThat(spec.getDelay()).isEqualTo(Duration.ofMillis(250));
		assertThat(spec.getJitter()).isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void fieldsGivenByNameMustBeFieldsOfAFault() {
		assertThatIllegalArgumentException().isThrownBy(() -> FaultRequest.of(Map.of("scpoe", "t-1")))
			.withMessageContaining("'scpoe' is not a field of a fault");
	}

	@Test
	void nullIsTheSameAsLeavingAFieldOut() {
		FaultSpec spec = fromJson("{\"type\":\"outage\",\"scope\":null,\"probability\":null,\"duration\":null}")
			.toSpec();
		assertThat(spec.getScope()).isNull();
		assertThat(spec.getProbability()).isEqualTo(1.0);
	}

	@Test
	void unknownFieldIsRefusedWithTheClosestKnownOne() {
		assertThat(refusalOf("{\"type\":\"outage\",\"Scope\":\"t-42\"}")).satisfies((ex) -> {
			assertThat(ex.getField()).isEqualTo("Scope");
			assertThat(ex.getReason()).isEqualTo("unknown field; did you mean scope?");
		});
	}

	@Test
	void unknownFieldLikeNoKnownOneIsRefusedListingTheKnownOnes() {
		assertThat(refusalOf("{\"type\":\"outage\",\"flavour\":1}").getReason()).isEqualTo(
				"unknown field; expected one of type, operation, sql, dataSource, probability, count, duration, scope, "
						+ "id, delay, jitter, sqlState, vendorCode, message, afterRows, table, mode, connections");
	}

	@Test
	void unknownFieldWithAHugeNameIsNamedAbbreviated() {
		assertThat(refusalOf("{\"" + "x".repeat(1000) + "\":1}").getField()).hasSize(43).endsWith("...");
	}

	@Test
	void textFieldsTakeOnlyStrings() {
		assertThat(refusalOf("{\"type\":\"outage\",\"scope\":42}")).satisfies((ex) -> {
			assertThat(ex.getField()).isEqualTo("scope");
			assertThat(ex.getReason()).isEqualTo("must be a string, was a number");
		});
		assertThat(refusalOf("{\"type\":[\"outage\"]}").getReason()).isEqualTo("must be a string, was an array");
	}

	@Test
	void numberFieldsTakeOnlyJsonNumbers() {
		assertThat(refusalOf("{\"type\":\"outage\",\"probability\":\"0.5\"}")).satisfies((ex) -> {
			assertThat(ex.getField()).isEqualTo("probability");
			assertThat(ex.getReason())
				.isEqualTo("must be a JSON number, a number from 0 to 1, such as 0.5, was a string ('0.5')");
		});
		assertThat(refusalOf("{\"type\":\"outage\",\"count\":true}").getReason())
			.isEqualTo("must be a JSON number, a whole number, such as 3, was true");
	}

	@Test
	void durationAsABareJsonNumberIsRefusedAskingForAUnit() {
		assertThat(refusalOf("{\"type\":\"outage\",\"duration\":30}")).satisfies((ex) -> {
			assertThat(ex.getField()).isEqualTo("duration");
			assertThat(ex.getReason())
				.isEqualTo("'30' has no unit; write a duration with one, such as \"30s\", \"30ms\" or \"PT30S\"");
		});
	}

	@Test
	void durationAsTextWithoutAUnitIsRefusedAskingForOne() {
		assertThat(refusalOfSpec(FaultRequest.of(Map.of("type", "latency", "delay", "250")))).satisfies((ex) -> {
			assertThat(ex.getField()).isEqualTo("delay");
			assertThat(ex.getReason()).startsWith("'250' has no unit");
		});
	}

	@Test
	void typeWrittenOtherwiseThanDocumentedIsRefusedWithTheCanonicalOne() {
		assertThat(refusalOfSpec(request("OUTAGE", null)).getReason())
			.isEqualTo("'OUTAGE' is not a fault type; did you mean outage?");
		assertThat(refusalOfSpec(request("read_only", null)).getReason())
			.isEqualTo("'read_only' is not a fault type; did you mean read-only?");
		assertThat(refusalOfSpec(request("lunch", null)).getReason())
			.isEqualTo("'lunch' is not a fault type; expected one of outage, hang, latency, error, read-only, "
					+ "ambiguous-commit, result-reset, lock, pool-exhaustion");
	}

	@Test
	void operationWrittenOtherwiseThanDocumentedIsRefusedWithTheCanonicalOne() {
		assertThat(refusalOfSpec(request("outage", "QUERY"))).satisfies((ex) -> {
			assertThat(ex.getField()).isEqualTo("operation");
			assertThat(ex.getReason()).isEqualTo("'QUERY' is not an operation; did you mean query?");
		});
	}

	@Test
	void documentedValuesAreAccepted() {
		for (FaultType type : FaultType.values()) {
			Map<String, String> fields = new HashMap<>(
					Map.of("type", type.id(), "operation", "any", "duration", "30s"));
			if (type == FaultType.LATENCY) {
				fields.put("delay", "1ms");
			}
			if (type == FaultType.ERROR) {
				fields.put("sqlState", "40001");
			}
			if (type == FaultType.RESULT_RESET) {
				fields.put("afterRows", "100");
			}
			if (type == FaultType.LOCK) {
				fields.put("table", "stock");
			}
			FaultRequest request = FaultRequest.of(fields);
			assertThat(request.toSpec().getType()).isEqualTo(type);
		}
	}

	private static FaultRequest request(String type, String operation) {
		Map<String, String> fields = new HashMap<>();
		fields.put("type", type);
		fields.put("operation", operation);
		return FaultRequest.of(fields);
	}

	private static FaultRequest fromJson(String json) {
		return FaultRequest.fromJson(JsonBody.parseObject(json.getBytes(StandardCharsets.UTF_8)));
	}

	private static InvalidFaultException refusalOf(String json) {
		InvalidFaultException[] refusal = new InvalidFaultException[1];
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> fromJson(json).toSpec())
			.satisfies((ex) -> refusal[0] = ex);
		return refusal[0];
	}

	private static InvalidFaultException refusalOfSpec(FaultRequest request) {
		InvalidFaultException[] refusal = new InvalidFaultException[1];
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(request::toSpec)
			.satisfies((ex) -> refusal[0] = ex);
		return refusal[0];
	}

}
