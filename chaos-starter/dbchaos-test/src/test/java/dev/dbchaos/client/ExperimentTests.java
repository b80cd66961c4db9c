package dev.dbchaos.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link Experiment}.
 */
class ExperimentTests {

	@Test
	void anExperimentIsSentAsTheEndpointTakesIt() {
		assertThat(Experiment.named("drill")
			.step(Duration.ofSeconds(10), Fault.readOnly().duration(Duration.ofSeconds(20)))
			.hypothesis(Experiment.health("readiness", "UP"))
			.recoverWithin(Duration.ofSeconds(30))
			.guard(Experiment.meter("http.server.requests", 5)
				.tag("outcome", "SERVER_ERROR")
				.window(Duration.ofSeconds(10)))
			.toJson())
			.isEqualTo("{\"name\":\"drill\",\"steps\":[{\"at\":\"10000ms\",\"fault\":"
					+ "{\"type\":\"read-only\",\"duration\":\"20000ms\"}}],"
					+ "\"hypothesis\":[{\"health\":\"readiness\",\"status\":\"UP\"}],\"recoverWithin\":\"30000ms\","
					+ "\"guards\":[{\"meter\":\"http.server.requests\",\"tags\":{\"outcome\":\"SERVER_ERROR\"},"
					+ "\"max\":5.0,\"window\":\"10000ms\"}]}");
		assertThat(Experiment.definition("failover-drill").toJson()).isEqualTo("{\"definition\":\"failover-drill\"}");
	}

	@Test
	void aClientsScopeLimitsTheStepsThatNameNone() {
		Experiment experiment = Experiment.named("scoped")
			.step(Duration.ZERO, Fault.outage().duration(Duration.ofSeconds(1)))
			.step(Duration.ZERO, Fault.outage().duration(Duration.ofSeconds(1)).scope("own"));
		assertThat(experiment.toJson("t-1")).contains("\"duration\":\"1000ms\",\"scope\":\"t-1\"}",
				"\"duration\":\"1000ms\",\"scope\":\"own\"}");
		assertThat(experiment.toJson()).doesNotContain("t-1");
	}

	@Test
	void theTimeoutIsTheLastFaultsEndAndTheRecoveryWithTimeToSpare() {
		Experiment experiment = Experiment.named("timed")
			.step(Duration.ofSeconds(5), Fault.outage().duration(Duration.ofSeconds(10)))
			.step(Duration.ZERO, Fault.readOnly().duration(Duration.ofSeconds(12)));
		assertThat(experiment.getTimeout()).isEqualTo(Duration.ofSeconds(15 + 30 + 30));
		assertThat(experiment.recoverWithin(Duration.ofSeconds(5)).getTimeout())
			.isEqualTo(Duration.ofSeconds(15 + 5 + 30));
		assertThat(Experiment.named("default").step(Duration.ZERO, Fault.outage()).getTimeout())
			.isEqualTo(Duration.ofMinutes(5).plusSeconds(30 + 30));
		assertThat(Experiment.definition("failover-drill").getTimeout()).isEqualTo(Experiment.DEFINITION_TIMEOUT);
		assertThat(Experiment.definition("failover-drill").timeout(Duration.ofMinutes(1)).getTimeout())
			.isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void aDefinitionTakesNoStepsOrChecks() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Experiment.definition("failover-drill").step(Duration.ZERO, Fault.outage()))
			.withMessage("A definition's step is in its file: definition 'failover-drill' takes none");
	}

}
