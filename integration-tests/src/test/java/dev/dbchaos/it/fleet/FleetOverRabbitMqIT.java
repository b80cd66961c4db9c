package dev.dbchaos.it.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import dev.dbchaos.cloud.bus.FleetShare;
import dev.dbchaos.testdatabases.ManagedPostgres;
import dev.dbchaos.testdatabases.ManagedRabbitMq;

import static dev.dbchaos.demo.Problems.assertDatabaseUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #18 for real: three instances of the demo (its {@code fleet} profile: Spring
 * Cloud Bus over RabbitMQ) on one PostgreSQL database, one RabbitMQ broker of this
 * class's own ({@link ManagedRabbitMq}, which two tests stop and start again), each
 * instance with a bus id of its own. A fault posted to one instance with
 * {@code "instances"} reaches every instance, or exactly the share {@link FleetShare}
 * picks, with the same id and end; it really fires there (a request the fault targets
 * fails, and the instance counts the injection); a broker that is down makes the fleet
 * request a {@code 503} that changes nothing, while local faults work on.
 * <p>
 * Faults are scoped to each test's own scope, so that only the test's own requests meet
 * them: the shops' background work and their circuit breakers are left alone. Every wait
 * for the bus is on a condition: each instance listing what was sent, and after a broker
 * restart every instance's bus consumer back on the broker
 * ({@link ManagedRabbitMq#consumersByQueue()}): until then an event reaches only the
 * instances already back (their queues are the bus's anonymous, non-durable ones, which a
 * restart removes).
 * <p>
 * Faults declared in configuration follow {@code POST /actuator/busrefresh} on every
 * instance ({@code DeclaredFaultsRefresher}): the instances import one file of
 * declarations ({@code spring.config.import}), which the test rewrites, as a ConfigMap
 * would be.
 */
class FleetOverRabbitMqIT {

	private static final String APPLICATION = "dbchaos-demo";

	private static final int INSTANCES = 3;

	/** How long an event may take to reach every instance, on a busy machine. */
	private static final Duration PROPAGATION = Duration.ofSeconds(30);

	/**
	 * How long the instances' bus consumers may take to reconnect to a restarted broker.
	 */
	private static final Duration RECONNECTION = Duration.ofSeconds(90);

	/** Shared: nothing here stops the database. */
	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final List<FleetInstance> fleet = new ArrayList<>();

	private static ManagedRabbitMq rabbit;

	/** The file of declared faults every instance imports. */
	private static Path declarations;

	private String scope;

	@BeforeAll
	static void startBrokerAndFleet() throws IOException {
		ManagedRabbitMq.assumeInstalled();
		declarations = Files.createTempFile("fleet-declared-faults", ".properties");
		declare("");
		rabbit = new ManagedRabbitMq();
		rabbit.start();
		Map<String, String> properties = new LinkedHashMap<>(rabbit.springProperties());
		properties.put("spring.datasource.url", postgres.createDatabase("fleet_over_rabbitmq_it"));
		properties.put("spring.datasource.username", postgres.username());
		properties.put("spring.datasource.password", postgres.password());
		properties.put("spring.config.import", "optional:file:" + declarations);
		for (int i = 1; i <= INSTANCES; i++) {
			fleet.add(FleetInstance.start(APPLICATION + ":fleet-" + i, properties));
		}
		awaitEveryInstanceOnTheBus();
	}

	@AfterAll
	static void stopFleetAndBroker() throws IOException {
		try {
			fleet.forEach(FleetInstance::close);
			fleet.clear();
		}
		finally {
			if (rabbit != null) {
				rabbit.close();
			}
			if (declarations != null) {
				Files.deleteIfExists(declarations);
			}
		}
	}

	@BeforeEach
	void scopeOfThisTest() {
		this.scope = "fleet-it-" + UUID.randomUUID().toString().substring(0, 8);
	}

	// The methods run in random order: each leaves no fault on any instance, and the
	// broker running with every instance on it.
	@AfterEach
	void clearEveryInstance() {
		awaitEveryInstanceOnTheBus();
		assertThat(first().clearEveryInstance().getStatusCode()).isEqualTo(HttpStatus.OK);
		await().atMost(PROPAGATION)
			.untilAsserted(() -> assertThat(fleet).allSatisfy((instance) -> assertThat(instance.faults()).isEmpty()));
	}

	@Test
	void allReachesEveryInstanceWithTheSameIdAndEndAndFiresOnEach() {
		JsonNode added = created(first().post(fault("all")));
		assertThat(added.get("instances").asText()).isEqualTo("all");
		assertThat(added.get("appliesHere").asBoolean()).isTrue();
		String id = added.get("id").asText();

		awaitListedEverywhere(id);

		for (FleetInstance instance : fleet) {
			JsonNode listed = instance.fault(id).orElseThrow();
			assertThat(listed.get("instances").asText()).isEqualTo("all");
			assertThat(listed.get("appliesHere").asBoolean()).as("applies on %s", instance).isTrue();
			assertThat(listed.get("expiresAt").asText()).as("end on %s", instance)
				.isEqualTo(added.get("expiresAt").asText());
			assertFires(instance, id);
		}
	}

	@Test
	void aShareReachesExactlyTheInstancesFleetSharePicks() {
		FleetShare half = FleetShare.parse("50%");
		String chosen = idPickingSomeButNotAll(half);

		JsonNode added = created(first().post(fault("50%", chosen)));

		String id = added.get("id").asText();
		assertThat(id).isEqualTo(chosen);
		assertThat(added.get("instances").asText()).isEqualTo("50%");
		assertThat(added.get("appliesHere").asBoolean()).isEqualTo(half.appliesTo(first().busId(), id));
		awaitListedEverywhere(id);
		for (FleetInstance instance : fleet) {
			boolean picked = half.appliesTo(instance.busId(), id);
			assertThat(instance.fault(id).orElseThrow().get("appliesHere").asBoolean()).as("applies on %s", instance)
				.isEqualTo(picked);
			if (picked) {
				assertFires(instance, id);
			}
			else {
				assertThat(instance.shop(this.scope).sneakers().getStatusCode()).as("a request on %s", instance)
					.isEqualTo(HttpStatus.OK);
			}
		}
	}

	@Test
	void deleteOfAFleetFaultRemovesItFromEveryInstance() {
		String id = created(first().post(fault("all"))).get("id").asText();
		awaitListedEverywhere(id);

		ResponseEntity<JsonNode> removed = fleet.get(2).delete(id);

		assertThat(removed.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(removed.getBody().get("id").asText()).isEqualTo(id);
		await().atMost(PROPAGATION)
			.untilAsserted(() -> assertThat(fleet)
				.allSatisfy((instance) -> assertThat(instance.fault(id)).as("on %s", instance).isEmpty()));
		assertThat(fleet).allSatisfy((instance) -> assertThat(instance.shop(this.scope).sneakers().getStatusCode())
			.as("a request on %s", instance)
			.isEqualTo(HttpStatus.OK));
	}

	@Test
	void deleteWithInstancesAllClearsEveryInstanceOfItsLocalAndFleetFaults() {
		for (FleetInstance instance : fleet) {
			created(instance.post(fault(null)));
		}
		String id = created(first().post(fault("all"))).get("id").asText();
		awaitListedEverywhere(id);
		assertThat(fleet).allSatisfy((instance) -> assertThat(instance.faults()).hasSize(2));

		assertThat(fleet.get(1).clearEveryInstance().getStatusCode()).isEqualTo(HttpStatus.OK);

		await().atMost(PROPAGATION)
			.untilAsserted(() -> assertThat(fleet)
				.allSatisfy((instance) -> assertThat(instance.faults()).as("on %s", instance).isEmpty()));
	}

	@Test
	void aStoppedBrokerMakesFleetRequestsA503NamingTheBusThatChangesNothingWhileLocalFaultsWork() {
		try {
			rabbit.stop();

			ResponseEntity<JsonNode> refused = first().post(fault("all"));

			assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(refused.getBody().get("message").asText()).contains("Spring Cloud Bus");
			assertThat(fleet).allSatisfy((instance) -> assertThat(instance.faults()).as("on %s", instance).isEmpty());

			String local = created(first().post(fault(null))).get("id").asText();
			assertFires(first(), local);
			ResponseEntity<JsonNode> notCleared = first().clearEveryInstance();
			assertThat(notCleared.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(notCleared.getBody().get("message").asText()).contains("Spring Cloud Bus");
			assertThat(first().fault(local)).as("the local fault, not cleared").isPresent();
		}
		finally {
			rabbit.start();
		}
		awaitEveryInstanceOnTheBus();
		// Nothing refused was kept to be sent later: with every instance back on the
		// bus, each still has only what it had.
		assertThat(first().faults()).singleElement().satisfies((fault) -> assertThat(fault.has("instances")).isFalse());
		assertThat(fleet.subList(1, INSTANCES)).allSatisfy((instance) -> assertThat(instance.faults()).isEmpty());
	}

	@Test
	void aRestartedBrokerCarriesFleetFaultsToEveryInstanceAgain() {
		try {
			rabbit.stop();
		}
		finally {
			rabbit.start();
		}
		awaitEveryInstanceOnTheBus();

		String id = created(fleet.get(1).post(fault("all"))).get("id").asText();

		awaitListedEverywhere(id);
		for (FleetInstance instance : fleet) {
			assertThat(instance.fault(id).orElseThrow().get("appliesHere").asBoolean()).isTrue();
			assertFires(instance, id);
		}
	}

	@Test
	void anExperimentsFleetStepReachesEveryInstanceAndItsAbortRemovesItEverywhere() {
		JsonNode started = created(first().startExperiment(
				Map.of("name", "fleet game day", "steps", List.of(Map.of("at", "0s", "fault", fault("all"))))));
		assertThat(started.get("state").asText()).isEqualTo("running");
		String id = started.get("steps").get(0).get("faultId").asText();

		awaitListedEverywhere(id);
		for (FleetInstance instance : fleet) {
			assertThat(instance.fault(id).orElseThrow().get("instances").asText()).isEqualTo("all");
			assertFires(instance, id);
		}

		ResponseEntity<JsonNode> aborted = fleet.get(1).abortExperiment(started.get("id").asText());
		assertThat(aborted.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(first().abortExperiment(started.get("id").asText()).getBody().get("state").asText())
			.isEqualTo("aborted");
		await().atMost(PROPAGATION)
			.untilAsserted(() -> assertThat(fleet)
				.allSatisfy((instance) -> assertThat(instance.fault(id)).as("on %s", instance).isEmpty()));
	}

	@Test
	void aDeclaredFaultFollowsABusRefreshOnEveryInstance() throws IOException {
		String id = this.scope + "-declared";
		try {
			declare("""
					dbchaos.faults[0].type=error
					dbchaos.faults[0].sql-state=57P02
					dbchaos.faults[0].scope=%s
					dbchaos.faults[0].id=%s
					dbchaos.faults[0].duration=2m
					""".formatted(this.scope, id));
			assertThat(first().busRefresh().getStatusCode().is2xxSuccessful()).isTrue();

			awaitListedEverywhere(id);
			for (FleetInstance instance : fleet) {
				assertThat(instance.fault(id).orElseThrow().has("instances")).as("declared on %s itself", instance)
					.isFalse();
				assertFires(instance, id);
			}

			declare("");
			assertThat(fleet.get(2).busRefresh().getStatusCode().is2xxSuccessful()).isTrue();

			await().atMost(PROPAGATION)
				.untilAsserted(() -> assertThat(fleet)
					.allSatisfy((instance) -> assertThat(instance.fault(id)).as("on %s", instance).isEmpty()));
		}
		finally {
			declare("");
		}
	}

	/**
	 * Rewrite the declarations. The file always keeps one other property: Spring Cloud's
	 * refresh replaces a file's property source but never removes one, and an empty file
	 * has none, so emptying it would leave the old declarations in force.
	 */
	private static void declare(String faults) throws IOException {
		Files.writeString(declarations, "fleet-it.declarations=" + System.nanoTime() + "\n" + faults);
	}

	/**
	 * A fault that fails this test's requests at once, on every data source call: a fatal
	 * error, which the demo does not retry.
	 * @param instances {@code all}, a share, or {@code null} for the receiving instance
	 * only
	 * @return the body
	 */
	private Map<String, String> fault(String instances) {
		return fault(instances, null);
	}

	private Map<String, String> fault(String instances, String id) {
		Map<String, String> fault = new LinkedHashMap<>();
		fault.put("type", "error");
		fault.put("sqlState", "57P02");
		fault.put("scope", this.scope);
		fault.put("duration", "2m");
		if (id != null) {
			fault.put("id", id);
		}
		if (instances != null) {
			fault.put("instances", instances);
		}
		return fault;
	}

	/**
	 * A fault id for which the share picks some of the instances but not every one, so
	 * that the share is seen to decide: the first of a series that does.
	 * @param share the share
	 * @return the id
	 */
	private String idPickingSomeButNotAll(FleetShare share) {
		for (int n = 0;; n++) {
			String id = this.scope + "-" + n;
			long picked = fleet.stream().filter((instance) -> share.appliesTo(instance.busId(), id)).count();
			if (picked > 0 && picked < INSTANCES) {
				return id;
			}
		}
	}

	/**
	 * Assert that a request of this test's scope fails on the instance because of the
	 * fault: the demo's 503, and the instance counted the fault's injection.
	 * @param instance the instance
	 * @param id the fault
	 */
	private void assertFires(FleetInstance instance, String id) {
		assertDatabaseUnavailable(instance.shop(this.scope).sneakers());
		assertThat(instance.fault(id).orElseThrow().get("injections").asLong()).as("injections on %s", instance)
			.isPositive();
	}

	private static JsonNode created(ResponseEntity<JsonNode> response) {
		assertThat(response.getStatusCode()).as("status of %s", response.getBody()).isEqualTo(HttpStatus.CREATED);
		return response.getBody();
	}

	private static void awaitListedEverywhere(String id) {
		await().atMost(PROPAGATION)
			.untilAsserted(() -> assertThat(fleet)
				.allSatisfy((instance) -> assertThat(instance.fault(id)).as("on %s", instance).isPresent()));
	}

	/**
	 * Wait until each instance consumes the bus's destination on the broker: one queue of
	 * the bus with a consumer per instance.
	 */
	private static void awaitEveryInstanceOnTheBus() {
		await().atMost(RECONNECTION)
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> rabbit.consumersByQueue()
				.entrySet()
				.stream()
				.filter((queue) -> queue.getKey().startsWith("springCloudBus.") && queue.getValue() > 0)
				.count() == INSTANCES);
	}

	private static FleetInstance first() {
		return fleet.get(0);
	}

}
