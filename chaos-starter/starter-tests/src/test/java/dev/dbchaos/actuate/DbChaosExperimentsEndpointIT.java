package dev.dbchaos.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.fault.FaultRule;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests of game-day experiments at {@code /actuator/dbchaos/experiments}, on
 * both Spring Boot generations, over HTTP, against a real PostgreSQL. The experiments'
 * faults are scoped, so that they break nothing the test does not ask for.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos,health",
				"management.endpoint.dbchaos.access=unrestricted", "dbchaos.endpoint.allow-anonymous-writes=true" })
@SuppressWarnings("unchecked")
class DbChaosExperimentsEndpointIT extends AbstractDbChaosEndpointIT {

	@Autowired
	private MeterRegistry meters;

	private static final String DRILL = """
			{"name": "drill",
			 "steps": [{"at": "0s", "fault": {"type": "outage", "duration": "5m", "scope": "experiment-it"}},
			           {"at": "4m", "fault": {"type": "read-only", "duration": "1m", "scope": "experiment-it"}}],
			 "hypothesis": [{"health": "db", "status": "%s"}],
			 "guards": [{"health": "db", "status": "UP"}]}""";

	@DynamicPropertySource
	static void definitions(DynamicPropertyRegistry properties) throws IOException {
		Path directory = Files.createTempDirectory("dbchaos-experiments");
		Files.writeString(directory.resolve("scoped-drill.yaml"), """
				name: scoped drill
				steps:
				  - fault: {type: outage, duration: 5m, scope: experiment-it}
				guards:
				  - {health: db, status: UP}
				""");
		properties.add("dbchaos.experiments.location", directory::toUri);
	}

	private ResponseEntity<Map<String, Object>> start(String json) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		return rest().exchange("/actuator/dbchaos/experiments", HttpMethod.POST, new HttpEntity<>(json, headers), JSON);
	}

	@Test
	void anExperimentStartsWithItsFirstFaultAndAnAbortRemovesIt() {
		ResponseEntity<Map<String, Object>> started = start(DRILL.formatted("UP"));
		assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		Map<String, Object> experiment = started.getBody();
		assertThat(this.meters.get("dbchaos.experiments.active").gauge().value()).isPositive();
		assertThat(experiment).containsEntry("name", "drill")
			.containsEntry("state", "running")
			.containsEntry("verdict", null)
			.containsKey("startedAt");
		List<Map<String, Object>> steps = (List<Map<String, Object>>) experiment.get("steps");
		String faultId = (String) steps.get(0).get("faultId");
		assertThat(registry().getRules()).extracting(FaultRule::getId).containsExactly(faultId);
		String id = (String) experiment.get("id");

		ResponseEntity<List<Map<String, Object>>> list = rest().exchange("/actuator/dbchaos/experiments",
				HttpMethod.GET, null, new ParameterizedTypeReference<>() {
				});
		assertThat(list.getBody()).extracting((each) -> each.get("id")).contains(id);
		ResponseEntity<Map<String, Object>> report = rest().exchange("/actuator/dbchaos/experiments/" + id,
				HttpMethod.GET, null, JSON);
		assertThat(report.getBody()).containsEntry("id", id).containsKeys("checks", "samples", "abortedBy");

		ResponseEntity<Map<String, Object>> aborted = rest().exchange("/actuator/dbchaos/experiments/" + id,
				HttpMethod.DELETE, null, JSON);
		assertThat(aborted.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(aborted.getBody()).containsEntry("state", "aborted").containsEntry("verdict", "aborted");
		assertThat((Map<String, Object>) aborted.getBody().get("abortedBy")).containsEntry("reason", "operator")
			.containsEntry("operator", "anonymous");
		assertThat(registry().isIdle()).isTrue();
		assertThat(this.meters.get("dbchaos.experiments").tag("verdict", "aborted").counter().count()).isPositive();
		assertThat(this.meters.get("dbchaos.experiments.active").gauge().value()).isZero();
	}

	@Test
	void aFailingGuardAbortsTheExperimentAndLeavesNoFaultBehind() {
		Counter errors = Counter.builder("experiment.it.errors").register(this.meters);
		ResponseEntity<Map<String, Object>> started = start("""
				{"name": "guarded",
				 "steps": [{"at": "0s", "fault": {"type": "outage", "duration": "5m", "scope": "experiment-it"}}],
				 "guards": [{"meter": "experiment.it.errors", "max": 0, "window": "1m"}]}""");
		assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(registry().isIdle()).isFalse();
		String id = (String) started.getBody().get("id");
		errors.increment(30);
		Map<String, Object> report = Awaitility.await()
			.until(() -> rest().exchange("/actuator/dbchaos/experiments/" + id, HttpMethod.GET, null, JSON).getBody(),
					(body) -> !"running".equals(body.get("state")));
		assertThat(report).containsEntry("state", "aborted").containsEntry("verdict", "aborted");
		Map<String, Object> abortedBy = (Map<String, Object>) report.get("abortedBy");
		assertThat(abortedBy).containsEntry("reason", "guard")
			.containsEntry("check", "meter experiment.it.errors <= 0.0");
		assertThat((Double) abortedBy.get("observed")).isPositive();
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void anExperimentWhoseHypothesisDoesNotHoldIsRefusedAndAddsNoFault() {
		ResponseEntity<Map<String, Object>> started = start(DRILL.formatted("DOWN"));
		assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(started.getBody()).containsEntry("state", "refused").containsEntry("verdict", "refused");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void anUnknownHealthOrABadStepIsA400NamingTheField() {
		ResponseEntity<Map<String, Object>> unknownHealth = start(DRILL.formatted("UP")
			.replace("\"health\": \"db\", \"status\": \"UP\"}]}", "\"health\": \"dbb\", \"status\": \"UP\"}]}"));
		assertThat(unknownHealth.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(unknownHealth.getBody()).containsEntry("field", "guards[0].health");
		ResponseEntity<Map<String, Object>> badStep = start(DRILL.formatted("UP").replace("\"outage\"", "\"outge\""));
		assertThat(badStep.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(badStep.getBody()).containsEntry("field", "steps[0].fault.type");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void aFleetStepWithoutAFleetIsA400NamingItsInstancesAndAddsNoFault() {
		ResponseEntity<Map<String, Object>> started = start("""
				{"name": "fleet drill",
				 "steps": [{"fault": {"type": "outage", "duration": "5m", "instances": "all"}}]}""");
		assertThat(started.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(started.getBody()).containsEntry("field", "steps[0].fault.instances");
		assertThat(String.valueOf(started.getBody().get("message"))).contains("dbchaos-spring-cloud-bus");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void aDefinitionFileIsStartedByItsNameAndListed() {
		ResponseEntity<Map<String, Object>> definitions = rest().exchange("/actuator/dbchaos/experiments/definitions",
				HttpMethod.GET, null, JSON);
		assertThat((List<Map<String, Object>>) definitions.getBody().get("definitions"))
			.extracting((each) -> each.get("definition"))
			.containsExactly("scoped-drill");
		ResponseEntity<Map<String, Object>> started = start("{\"definition\": \"scoped-drill\"}");
		assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(started.getBody()).containsEntry("name", "scoped drill").containsEntry("state", "running");
		List<Map<String, Object>> steps = (List<Map<String, Object>>) started.getBody().get("steps");
		assertThat(registry().getRules()).extracting(FaultRule::getId)
			.containsExactly((String) steps.get(0).get("faultId"));
		rest().exchange("/actuator/dbchaos/experiments/" + started.getBody().get("id"), HttpMethod.DELETE, null, JSON);
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void anUnknownDefinitionOrADefinitionWithStepsIsA400() {
		ResponseEntity<Map<String, Object>> unknown = start("{\"definition\": \"nonesuch\"}");
		assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(unknown.getBody()).containsEntry("field", "definition");
		assertThat((String) unknown.getBody().get("message")).contains("scoped-drill");
		ResponseEntity<Map<String, Object>> withSteps = start(
				"{\"definition\": \"scoped-drill\", \"steps\": [{\"fault\": {\"type\": \"outage\"}}]}");
		assertThat(withSteps.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(withSteps.getBody()).containsEntry("field", "steps");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void anUnknownExperimentIsA404() {
		assertThat(
				rest().exchange("/actuator/dbchaos/experiments/nonesuch", HttpMethod.GET, null, JSON).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(rest().exchange("/actuator/dbchaos/experiments/nonesuch", HttpMethod.DELETE, null, JSON)
			.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
