package dev.dbchaos.it.experiments;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.it.experiments.ShopTraffic.Answer;
import dev.dbchaos.it.support.FailureDiagnostics;
import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's two game-day experiments ({@code src/main/resources/dbchaos/experiments} of
 * demo-service), started by name at {@code /actuator/dbchaos/experiments} as the ops
 * user, against a real PostgreSQL, while shoppers view the pages and buyers order
 * ({@link ShopTraffic}). Their faults are unscoped, as an operator's game day would be:
 * the whole shop, its background refresh included, loses its database.
 * <p>
 * Every failure the traffic saw is accounted for: only orders fail, each with the clear
 * 503 "Database unavailable", and only from the experiment's start until the first order
 * that succeeded after its faults were gone (a circuit breaker the faults opened stays
 * open a few seconds longer).
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(FailureDiagnostics.class)
class DemoExperimentsIT {

	private static final long SAMBA = 3;

	private static final String SIZE = "41";

	/**
	 * Shared with other classes that only inject faults: nothing here stops the server.
	 */
	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final String DATABASE = "demo_experiments_it";

	/**
	 * Bounds the wait for an experiment to end: the drill's 11 s of faults and its 30 s
	 * to recover, with room for a busy machine. Not a target: a drill ends as soon as its
	 * hypothesis holds again.
	 */
	private static final Duration EXPERIMENT_BOUND = Duration.ofMinutes(3);

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, postgres, DATABASE);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry meters;

	private String scope;

	private ShopClient shop;

	private DbChaosClient chaos;

	private ShopTraffic traffic;

	@BeforeEach
	void aReadyShopUnderTraffic() {
		ShopDatabase database = new ShopDatabase(postgres, postgres.createDatabase(DATABASE));
		database.update("UPDATE stock SET quantity = 1000000 WHERE sneaker_id = ? AND size = ?", SAMBA, SIZE);
		// The traffic's requests carry a scope of their own only so that the order
		// confirmations they start can be awaited after the test (seed 004): the
		// experiments' faults are unscoped and apply to them all the same.
		this.scope = "experiments-" + UUID.randomUUID().toString().substring(0, 8);
		this.shop = new ShopClient(this.port).inScope(this.scope);
		this.chaos = this.shop.chaos();
		// Both hypotheses start with readiness UP, which the shop is again only once its
		// pool has recovered from the experiment of the test before (random order).
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			assertThat(readiness()).isEqualTo("UP");
			assertThat(this.shop.order(UUID.randomUUID().toString(), SAMBA, SIZE, 1).getStatusCode())
				.isEqualTo(HttpStatus.CREATED);
		});
		this.traffic = ShopTraffic.start(this.shop, SAMBA, SIZE);
		// The experiments' meter checks need http.server.requests with traffic behind it.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.traffic.answers().stream().anyMatch((answer) -> answer.isOrder() && answer.succeeded()));
	}

	@AfterEach
	void stopTrafficAndAwaitItsBackgroundWork() throws InterruptedException {
		this.traffic.close();
		this.chaos.awaitQuiescence(this.scope, Duration.ofSeconds(60));
	}

	@Test
	void theFailoverDrillPassesWhileThePagesAreServedThroughout() {
		double outages = injections("outage");
		double readOnly = injections("read-only");

		JsonNode report = runDefinition("failover-drill");

		assertThat(report.get("state").asText()).as("%s", report).isEqualTo("completed");
		assertThat(report.get("verdict").asText()).as("%s", report).isEqualTo("passed");
		List<JsonNode> steps = list(report.get("steps"));
		assertThat(steps).extracting((step) -> step.get("type").asText()).containsExactly("outage", "read-only");
		assertThat(steps).allSatisfy((step) -> {
			assertThat(step.get("faultId").asText()).isNotBlank();
			assertThat(step.get("error").isNull()).isTrue();
			assertThat(instant(step, "endedAt")).isAfter(instant(step, "startedAt"));
		});
		// The faults fired: JDBC calls met the outage and, after it, the read-only
		// database.
		assertThat(injections("outage")).isGreaterThan(outages);
		assertThat(injections("read-only")).isGreaterThan(readOnly);

		List<Answer> answers = answersUntilAnOrderSucceededAfter(faultsGone(report));
		// Orders met the outage: refused with a clear 503 (one sent as it ended may get
		// through).
		JsonNode outage = steps.get(0);
		assertThat(answers)
			.filteredOn((answer) -> answer.isOrder()
					&& answer.sentBetween(instant(outage, "startedAt"), instant(outage, "endedAt")))
			.anySatisfy(DemoExperimentsIT::isRefusedClearly);
		// The pages were served throughout, from the last known catalogue.
		for (JsonNode step : steps) {
			assertThat(answers)
				.filteredOn((answer) -> answer.isPage()
						&& answer.sentBetween(instant(step, "startedAt"), instant(step, "endedAt")))
				.as("pages viewed during the %s step", step.get("type").asText())
				.isNotEmpty();
		}
		assertEveryFailureIsAnOrderRefusedDuring(answers, report);
	}

	@Test
	void aLongOutageUnderTrafficIsAbortedByItsGuardWithItsFaultGoneAndOrdersSucceedAfterwards() {
		double outages = injections("outage");

		JsonNode report = runDefinition("long-outage-guarded");
		// Read at once: the engine removes the experiment's faults in the check that
		// aborts it, before the report says aborted.
		JsonNode faultsAfterTheAbort = this.shop.rest()
			.get()
			.uri("/actuator/dbchaos")
			.retrieve()
			.toEntity(JsonNode.class)
			.getBody()
			.get("faults");

		assertThat(report.get("state").asText()).as("%s", report).isEqualTo("aborted");
		assertThat(report.get("verdict").asText()).isEqualTo("aborted");
		String guard = "meter http.server.requests{outcome=SERVER_ERROR} <= 1.0";
		JsonNode abortedBy = report.get("abortedBy");
		assertThat(abortedBy.get("reason").asText()).isEqualTo("guard");
		assertThat(abortedBy.get("check").asText()).isEqualTo(guard);
		assertThat(abortedBy.get("observed").asDouble()).isGreaterThan(1.0);
		assertThat(abortedBy.get("message").asText()).contains(guard, abortedBy.get("observed").asText());
		JsonNode step = list(report.get("steps")).get(0);
		assertThat(step.get("faultId").asText()).isNotBlank();
		// The outage was ended by the abort, long before its two minutes: in the same
		// check, within a second of the guard's failed check.
		assertThat(instant(step, "endedAt")).isEqualTo(instant(report, "endedAt"));
		JsonNode guardCheck = list(report.get("checks")).stream()
			.filter((check) -> guard.equals(check.get("check").asText()))
			.findFirst()
			.orElseThrow();
		assertThat(guardCheck.get("role").asText()).isEqualTo("guard");
		assertThat(Duration.between(instant(guardCheck.get("firstFailure"), "at"), instant(report, "endedAt")))
			.isLessThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(faultsAfterTheAbort).isEmpty();
		assertThat(injections("outage")).isGreaterThan(outages);

		List<Answer> answers = answersUntilAnOrderSucceededAfter(instant(report, "endedAt"));
		assertThat(answers)
			.filteredOn((answer) -> answer.isOrder()
					&& answer.sentBetween(instant(step, "startedAt"), instant(step, "endedAt")))
			.anySatisfy(DemoExperimentsIT::isRefusedClearly);
		assertThat(answers).filteredOn(
				(answer) -> answer.isPage() && answer.sentBetween(instant(step, "startedAt"), instant(step, "endedAt")))
			.isNotEmpty();
		assertEveryFailureIsAnOrderRefusedDuring(answers, report);
		assertThat(this.shop.order(UUID.randomUUID().toString(), SAMBA, SIZE, 1).getStatusCode())
			.isEqualTo(HttpStatus.CREATED);
	}

	/**
	 * Start a definition by name, as an operator would, and wait for it to end.
	 */
	private JsonNode runDefinition(String definition) {
		ResponseEntity<JsonNode> started = this.shop.rest()
			.post()
			.uri("/actuator/dbchaos/experiments")
			.headers((headers) -> headers.setBasicAuth(ShopClient.OPS_USER, ShopClient.OPS_PASSWORD))
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("definition", definition))
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(started.getStatusCode()).as("%s", started.getBody()).isEqualTo(HttpStatus.CREATED);
		assertThat(started.getBody().get("state").asText()).as("%s", started.getBody()).isEqualTo("running");
		String id = started.getBody().get("id").asText();
		return await().atMost(EXPERIMENT_BOUND)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.shop.rest()
				.get()
				.uri("/actuator/dbchaos/experiments/{id}", id)
				.retrieve()
				.toEntity(JsonNode.class)
				.getBody(), (report) -> !"running".equals(report.get("state").asText()));
	}

	/**
	 * Wait until the traffic has seen an order succeed that was sent after the given
	 * moment, and return its answers until then.
	 */
	private List<Answer> answersUntilAnOrderSucceededAfter(Instant moment) {
		return await().atMost(Duration.ofSeconds(60))
			.until(this.traffic::answers, (answers) -> answers.stream()
				.anyMatch((answer) -> answer.isOrder() && answer.succeeded() && answer.sentAt().isAfter(moment)));
	}

	/**
	 * The only failures accepted: orders refused with the clear 503 while the database
	 * was away, that is answered after the experiment started and sent before the first
	 * order that succeeded once its faults were gone.
	 */
	private static void assertEveryFailureIsAnOrderRefusedDuring(List<Answer> answers, JsonNode report) {
		Instant startedAt = instant(report, "startedAt");
		Instant faultsGone = faultsGone(report);
		Instant recovered = answers.stream()
			.filter((answer) -> answer.isOrder() && answer.succeeded() && answer.sentAt().isAfter(faultsGone))
			.map(Answer::sentAt)
			.findFirst()
			.orElseThrow();
		assertThat(answers).filteredOn((answer) -> !answer.succeeded()).allSatisfy((answer) -> {
			isRefusedClearly(answer);
			assertThat(answer.answeredAt()).as("%s", answer).isAfterOrEqualTo(startedAt);
			assertThat(answer.sentAt()).as("%s", answer).isBefore(recovered);
		});
	}

	private static void isRefusedClearly(Answer answer) {
		assertThat(answer.route()).as("%s", answer).isEqualTo(ShopTraffic.ORDERS);
		assertThat(answer.status()).as("%s", answer).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
		assertThat(answer.title()).as("%s", answer).isEqualTo("Database unavailable");
	}

	/** When the last of the experiment's faults ended. */
	private static Instant faultsGone(JsonNode report) {
		return list(report.get("steps")).stream()
			.map((step) -> instant(step, "endedAt"))
			.max(Instant::compareTo)
			.orElseThrow();
	}

	private String readiness() {
		JsonNode health = this.shop.rest()
			.get()
			.uri("/actuator/health/readiness")
			.retrieve()
			.toEntity(JsonNode.class)
			.getBody();
		return health.get("status").asText();
	}

	/** JDBC calls the dbchaos faults of a type affected so far. */
	private double injections(String type) {
		return this.meters.find("dbchaos.injections")
			.tag("type", type)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private static Instant instant(JsonNode node, String field) {
		return Instant.parse(node.get(field).asText());
	}

	private static List<JsonNode> list(JsonNode array) {
		return StreamSupport.stream(array.spliterator(), false).toList();
	}

}
