package dev.dbchaos.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.dbchaos.fault.FaultField;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Fault}.
 */
class FaultTests {

	@Test
	void everyFieldIsSentByItsNameInItsJsonFormInTheOrderItWasSet() {
		Fault fault = Fault.latency(Duration.ofMillis(250))
			.operation("query")
			.sql("(?i)from \"sneakers\"")
			.dataSource("orders")
			.probability(0.5)
			.count(3)
			.duration(Duration.ofMinutes(2))
			.scope("t-1")
			.id("slow")
			.jitter(Duration.ofMillis(50));
		assertThat(fault.toJson()).isEqualTo("{\"type\":\"latency\",\"delay\":\"250ms\",\"operation\":\"query\","
				+ "\"sql\":\"(?i)from \\\"sneakers\\\"\",\"dataSource\":\"orders\",\"probability\":0.5,\"count\":3,"
				+ "\"duration\":\"120000ms\",\"scope\":\"t-1\",\"id\":\"slow\",\"jitter\":\"50ms\"}");
	}

	@Test
	void errorFaultsSendTheirSqlStateAndMessage() {
		assertThat(Fault.error("40001").message("no").toJson())
			.isEqualTo("{\"type\":\"error\",\"sqlState\":\"40001\",\"message\":\"no\"}");
		assertThat(Fault.readOnly().toJson()).isEqualTo("{\"type\":\"read-only\"}");
	}

	@Test
	void resultResetSendsItsRowsAndAmbiguousCommitNothingButItsType() {
		assertThat(Fault.resultReset(100).sql("(?i)from sneakers").toJson())
			.isEqualTo("{\"type\":\"result-reset\",\"afterRows\":100,\"sql\":\"(?i)from sneakers\"}");
		assertThat(Fault.ambiguousCommit().toJson()).isEqualTo("{\"type\":\"ambiguous-commit\"}");
	}

	@Test
	void heldFaultsSendTheirTableModeAndConnections() {
		assertThat(Fault.lock("stock").mode("share").duration(Duration.ofSeconds(30)).toJson())
			.isEqualTo("{\"type\":\"lock\",\"table\":\"stock\",\"mode\":\"share\",\"duration\":\"30000ms\"}");
		assertThat(Fault.poolExhaustion().toJson()).isEqualTo("{\"type\":\"pool-exhaustion\"}");
		assertThat(Fault.poolExhaustion().connections(8).toJson())
			.isEqualTo("{\"type\":\"pool-exhaustion\",\"connections\":8}");
	}

	@Test
	void anyFieldCanBeSetByTheFieldItself() {
		assertThat(Fault.hang().with(FaultField.DELAY, Duration.ofNanos(1500)).toJson())
			.isEqualTo("{\"type\":\"hang\",\"delay\":\"1500ns\"}");
	}

	@Test
	void aCopyWithAScopeKeepsTheOrderAndLeavesTheOriginalAlone() {
		Fault fault = Fault.error("40001").operation("query");
		assertThat(fault.copyWithScope("t-2").toJson())
			.isEqualTo("{\"type\":\"error\",\"sqlState\":\"40001\",\"operation\":\"query\",\"scope\":\"t-2\"}");
		assertThat(fault.toJson()).isEqualTo("{\"type\":\"error\",\"sqlState\":\"40001\",\"operation\":\"query\"}");
	}

}
