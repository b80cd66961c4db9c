package dev.dbchaos.fault;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FaultSpec}.
 */
class FaultSpecTests {

	@Test
	void ambiguousCommitAffectsCommitsOnly() {
		assertThat(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).build().getOperation()).isEqualTo(Operation.ANY);
		assertThat(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).operation(Operation.COMMIT).build().getOperation())
			.isEqualTo(Operation.COMMIT);
		for (Operation operation : new Operation[] { Operation.QUERY, Operation.UPDATE, Operation.CONNECT }) {
			assertInvalid(() -> FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).operation(operation).build(),
					"operation");
		}
	}

	@Test
	void ambiguousCommitTakesAnSqlPatternOnlyForWritesInAutoCommitMode() {
		assertThat(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).sql("insert into orders").build().getSql())
			.isNotNull();
		assertInvalid(() -> FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT)
			.operation(Operation.COMMIT)
			.sql("insert into orders")
			.build(), "sql");
	}

	@Test
	void resultResetNeedsItsRowsAndBreaksQueriesOnly() {
		assertThat(FaultSpec.builder(FaultType.RESULT_RESET).afterRows(0).build().getAfterRows()).isZero();
		assertInvalid(() -> FaultSpec.builder(FaultType.RESULT_RESET).build(), "afterRows");
		assertInvalid(() -> FaultSpec.builder(FaultType.RESULT_RESET).afterRows(-1).build(), "afterRows");
		assertInvalid(() -> FaultSpec.builder(FaultType.RESULT_RESET).afterRows(1).operation(Operation.COMMIT).build(),
				"operation");
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).afterRows(1).build(), "afterRows");
	}

	@Test
	void lockNeedsAnUnquotedTableNameAndTakesAMode() {
		FaultSpec lock = FaultSpec.builder(FaultType.LOCK).table("public.stock").mode("share").build();
		assertThat(lock.getTable()).isEqualTo("public.stock");
		assertThat(lock.getMode()).isEqualTo("share");
		assertThat(FaultSpec.builder(FaultType.LOCK).table("stock").build().getMode()).isNull();
		assertInvalid(() -> FaultSpec.builder(FaultType.LOCK).build(), "table");
		assertInvalid(() -> FaultSpec.builder(FaultType.LOCK).table("stock; drop table stock").build(), "table");
		assertInvalid(() -> FaultSpec.builder(FaultType.LOCK).table("\"stock\"").build(), "table");
		assertInvalid(() -> FaultSpec.builder(FaultType.LOCK).table("stock").mode("share; commit").build(), "mode");
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).table("stock").build(), "table");
		assertInvalid(() -> FaultSpec.builder(FaultType.POOL_EXHAUSTION).mode("write").build(), "mode");
	}

	@Test
	void poolExhaustionTakesAPositiveNumberOfConnections() {
		assertThat(FaultSpec.builder(FaultType.POOL_EXHAUSTION).build().getConnections()).isNull();
		assertThat(FaultSpec.builder(FaultType.POOL_EXHAUSTION).connections(8).build().getConnections()).isEqualTo(8);
		assertInvalid(() -> FaultSpec.builder(FaultType.POOL_EXHAUSTION).connections(0).build(), "connections");
		assertInvalid(() -> FaultSpec.builder(FaultType.LOCK).table("stock").connections(1).build(), "connections");
	}

	@Test
	void heldFaultsRefuseTheFiltersOfCalls() {
		for (FaultType type : new FaultType[] { FaultType.LOCK, FaultType.POOL_EXHAUSTION }) {
			assertInvalid(() -> held(type).scope("checkout").build(), "scope");
			assertInvalid(() -> held(type).probability(0.5).build(), "probability");
			assertInvalid(() -> held(type).count(1).build(), "count");
			assertInvalid(() -> held(type).operation(Operation.QUERY).build(), "operation");
			assertInvalid(() -> held(type).sql("from stock").build(), "sql");
			assertThat(held(type).probability(1.0).dataSource("orders").build().getDataSource()).isEqualTo("orders");
		}
	}

	private static FaultSpec.Builder held(FaultType type) {
		return (type == FaultType.LOCK) ? FaultSpec.builder(type).table("stock") : FaultSpec.builder(type);
	}

	@Test
	void minimalRuleAppliesToEverything() {
		FaultSpec spec = FaultSpec.builder(FaultType.OUTAGE).build();
		assertThat(spec.getOperation()).isEqualTo(Operation.ANY);
		assertThat(spec.getProbability()).isEqualTo(1.0);
		assertThat(spec.getCount()).isNull();
		assertThat(spec.getSql()).isNull();
		assertThat(spec.getScope()).isNull();
	}

	@Test
	void missingTypeIsRejected() {
		assertInvalid(() -> FaultSpec.builder(null), "type");
	}

	@Test
	void probabilityOutsideZeroToOneIsRejected() {
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).probability(1.5).build(), "probability");
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).probability(-0.1).build(), "probability");
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).probability(Double.NaN).build(), "probability");
	}

	@Test
	void countBelowOneIsRejected() {
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).count(0).build(), "count");
	}

	@Test
	void negativeOrZeroDurationIsRejected() {
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofSeconds(-1)).build(), "duration");
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ZERO).build(), "duration");
	}

	@Test
	void invalidRegexIsRejectedWithTheReason() {
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> FaultSpec.builder(FaultType.OUTAGE).sql("(unclosed"))
			.satisfies((ex) -> {
				assertThat(ex.getField()).isEqualTo("sql");
				assertThat(ex.getReason()).contains("not a valid regular expression");
			});
	}

	@Test
	void overlongRegexIsRejected() {
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).sql("a".repeat(1001)), "sql");
	}

	@Test
	void latencyWithoutDelayIsRejected() {
		assertInvalid(() -> FaultSpec.builder(FaultType.LATENCY).build(), "delay");
		assertInvalid(() -> FaultSpec.builder(FaultType.LATENCY).delay(Duration.ZERO).build(), "delay");
		assertInvalid(() -> FaultSpec.builder(FaultType.LATENCY)
			.delay(Duration.ofMillis(10))
			.jitter(Duration.ofMillis(-1))
			.build(), "jitter");
	}

	@Test
	void delayOnAnotherTypeIsRejected() {
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).delay(Duration.ofMillis(10)).build(), "delay");
	}

	@Test
	void errorNeedsAWellFormedSqlState() {
		assertInvalid(() -> FaultSpec.builder(FaultType.ERROR).build(), "sqlState");
		assertInvalid(() -> FaultSpec.builder(FaultType.ERROR).sqlState("4000").build(), "sqlState");
		assertInvalid(() -> FaultSpec.builder(FaultType.ERROR).sqlState("40p01").build(), "sqlState");
		assertThat(FaultSpec.builder(FaultType.ERROR).sqlState("40P01").build().getSqlState()).isEqualTo("40P01");
	}

	@Test
	void vendorCodeGoesWithTheSqlStateGiven() {
		FaultSpec deadlock = FaultSpec.builder(FaultType.ERROR).sqlState("40001").vendorCode(1213).build();
		assertThat(deadlock.getSqlState()).isEqualTo("40001");
		assertThat(deadlock.getVendorCode()).isEqualTo(1213);
		assertThat(deadlock).hasToString("error sqlState=40001 vendorCode=1213");
	}

	@Test
	void vendorCodeWithoutSqlStateTakesTheSqlStateOfTheDriverThatMapsCodes() {
		// MySQL Connector/J, the one driver that publishes a mapping, is on the core's
		// class path (for MySqlJdbcFailures); without it the rule needs a sqlState.
		assertThat(FaultSpec.builder(FaultType.ERROR).vendorCode(1062).build().getSqlState()).isEqualTo("23000");
		assertThat(FaultSpec.builder(FaultType.ERROR).vendorCode(1213).build().getSqlState()).isEqualTo("40001");
	}

	@Test
	void vendorCodeMustBePositive() {
		assertInvalid(() -> FaultSpec.builder(FaultType.ERROR).sqlState("40001").vendorCode(0).build(), "vendorCode");
		assertInvalid(() -> FaultSpec.builder(FaultType.ERROR).sqlState("40001").vendorCode(-1).build(), "vendorCode");
	}

	@Test
	void vendorCodeOnAnotherTypeIsRejected() {
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).vendorCode(1213).build(), "vendorCode");
	}

	@Test
	void sqlStateOnAnotherTypeIsRejected() {
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).sqlState("40001").build(), "sqlState");
	}

	@Test
	void readOnlyCannotTargetConnectOrCommit() {
		assertInvalid(() -> FaultSpec.builder(FaultType.READ_ONLY).operation(Operation.CONNECT).build(), "operation");
	}

	@Test
	void idMustBeSafeInAUrl() {
		assertInvalid(() -> FaultSpec.builder(FaultType.OUTAGE).id("a/b").build(), "id");
		assertThat(FaultSpec.builder(FaultType.OUTAGE).id("drill-1").build().getId()).isEqualTo("drill-1");
	}

	@Test
	void typeAndOperationAreReadFromTheirIds() {
		assertThat(FaultType.of("read-only")).isEqualTo(FaultType.READ_ONLY);
		assertThat(FaultType.of("READ_ONLY")).isEqualTo(FaultType.READ_ONLY);
		assertThat(Operation.of("Query")).isEqualTo(Operation.QUERY);
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> FaultType.of("lunch"))
			.withMessageContaining("outage, hang, latency, error, read-only");
	}

	@Test
	void describesTheFieldsThatAreSetLeavingOutDefaultsTheIdAndTheDuration() {
		FaultSpec latency = FaultSpec.builder(FaultType.LATENCY)
			.operation(Operation.QUERY)
			.sql("(?i)select")
			.probability(0.5)
			.count(3)
			.duration(Duration.ofMinutes(2))
			.scope("t-1")
			.id("slow")
			.delay(Duration.ofMillis(250))
			.jitter(Duration.ofMillis(50))
			.build();
		assertThat(latency).hasToString(
				"latency operation=query sql=(?i)select probability=0.5 count=3 scope=t-1 delay=PT0.25S jitter=PT0.05S");
		assertThat(FaultSpec.builder(FaultType.ERROR).sqlState("40001").dataSource("orders").message("no").build())
			.hasToString("error dataSource=orders sqlState=40001 message=no");
		assertThat(FaultSpec.builder(FaultType.OUTAGE).operation(Operation.ANY).probability(1.0).build())
			.hasToString("outage");
	}

	private static void assertInvalid(Runnable build, String field) {
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(build::run)
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(field));
	}

}
