package dev.dbchaos.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.dbchaos.experiment.Check;
import dev.dbchaos.experiment.ExperimentDefinition;
import dev.dbchaos.experiment.Step;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ExperimentRequestTests {

	private static final String FAILOVER = """
			{
			  "name": "checkout survives a database failover",
			  "steps": [
			    {"at": "0s",  "fault": {"type": "outage", "duration": "10s"}},
			    {"at": "10s", "fault": {"type": "read-only", "duration": "20s", "scope": "t-1"}}
			  ],
			  "hypothesis": [ {"health": "readiness", "status": "UP"},
			                  {"meter": "http.server.requests", "tags": {"status": "500"}, "max": 0} ],
			  "recoverWithin": "30s",
			  "guards": [ {"meter": "http.server.requests", "tags": {"outcome": "SERVER_ERROR"}, "max": 5, "window": "5s"},
			              {"health": "liveness", "status": "UP"} ]
			}
			""";

	private final ExperimentRequest.Checks checks = new DescribedChecks();

	private ExperimentDefinition parse(String json) {
		return ExperimentRequest.parse(json.getBytes(StandardCharsets.UTF_8), this.checks);
	}

	private void assertRefused(String json, String field) {
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> parse(json))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(field));
	}

	@Test
	void theIssuesExampleIsReadWithEachFaultAsTheFaultEndpointReadsIt() {
		ExperimentDefinition definition = parse(FAILOVER);
		assertThat(definition.name()).isEqualTo("checkout survives a database failover");
		assertThat(definition.steps()).hasSize(2);
		assertThat(definition.steps().get(1).at()).isEqualTo(Duration.ofSeconds(10));
		assertThat(definition.steps().get(1).fault().getType()).isEqualTo(FaultType.READ_ONLY);
		assertThat(definition.steps().get(1).fault().getScope()).isEqualTo("t-1");
		assertThat(definition.recoverWithin()).isEqualTo(Duration.ofSeconds(30));
		assertThat(definition.hypothesis()).extracting(Check::description)
			.containsExactly("health readiness is UP", "meter http.server.requests{status=500} <= 0.0 over PT10S");
		assertThat(definition.guards()).extracting(Check::description)
			.containsExactly("meter http.server.requests{outcome=SERVER_ERROR} <= 5.0 over PT5S",
					"health liveness is UP");
	}

	@Test
	void aBadFaultInAStepIsRefusedNamingItsPath() {
		assertRefused("{\"name\":\"x\",\"steps\":[{\"at\":\"0s\",\"fault\":{\"type\":\"outage\"}},"
				+ "{\"at\":\"1s\",\"fault\":{\"type\":\"outage\",\"scop\":\"a\"}}]}", "steps[1].fault.scop");
		assertRefused("{\"name\":\"x\",\"steps\":[{\"at\":\"0s\",\"fault\":{\"type\":\"outage\",\"duration\":30}}]}",
				"steps[0].fault.duration");
	}

	@Test
	void badFieldsOfTheExperimentAreRefusedNamingThem() {
		assertRefused("{\"name\":\"x\",\"steps\":[]}", "steps");
		assertRefused("{\"steps\":[{\"fault\":{\"type\":\"outage\"}}]}", "name");
		assertRefused("{\"name\":\"x\",\"step\":[]}", "step");
		assertRefused("{\"name\":\"x\",\"steps\":[{\"at\":\"10\",\"fault\":{\"type\":\"outage\"}}]}", "steps[0].at");
		assertRefused("{\"name\":\"x\",\"steps\":[{\"fault\":{\"type\":\"outage\"}}],"
				+ "\"guards\":[{\"meter\":\"m\",\"max\":\"5\"}]}", "guards[0].max");
		assertRefused("{\"name\":\"x\",\"steps\":[{\"fault\":{\"type\":\"outage\"}}],"
				+ "\"hypothesis\":[{\"health\":\"nonesuch\",\"status\":\"UP\"}]}", "hypothesis[0].health");
	}

	@Test
	void aStepsFaultMayNameTheInstancesOfAFleet() {
		ExperimentDefinition definition = parse("{\"name\":\"fleet\",\"steps\":["
				+ "{\"fault\":{\"type\":\"outage\",\"instances\":\"50%\"}},{\"fault\":{\"type\":\"read-only\"}}]}");
		assertThat(definition.steps()).extracting(Step::instances).containsExactly("50%", null);
		assertRefused("{\"name\":\"x\",\"steps\":[{\"fault\":{\"type\":\"outage\",\"instances\":50}}]}",
				"steps[0].fault.instances");
	}

}
