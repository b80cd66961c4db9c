package dev.dbchaos.it.experiments;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.client.Experiment;
import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.demo.database.Database;
import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.experiment.ExperimentReport.AbortedBy;
import dev.dbchaos.experiment.ExperimentReport.CheckReport;
import dev.dbchaos.experiment.ExperimentReport.StepReport;
import dev.dbchaos.it.experiments.ReportPageInChromium.Band;
import dev.dbchaos.it.experiments.ReportPageInChromium.Layout;
import dev.dbchaos.it.experiments.ReportPageInChromium.Plot;
import dev.dbchaos.it.experiments.ShopTraffic.Answer;
import dev.dbchaos.it.support.FailureDiagnostics;
import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.test.DbChaosTest;
import dev.dbchaos.test.ExperimentReportPage;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The demo's two game-day experiments ({@code src/main/resources/dbchaos/experiments} of
 * demo-service), started by name at {@code /actuator/dbchaos/experiments} as the ops user
 * with {@link DbChaosClient#run}, which waits for their end and reads their reports,
 * against a real PostgreSQL, while shoppers view the pages and buyers order
 * ({@link ShopTraffic}). Their faults are unscoped, as an operator's game day would be:
 * the whole shop, its background refresh included, loses its database.
 * <p>
 * Every failure the traffic saw is accounted for: only orders fail, each with the clear
 * 503 "Database unavailable", and only from the experiment's start until the shop has
 * recovered: a circuit breaker the faults opened stays open a few seconds after they are
 * gone, and while half-open refuses what its trial calls leave out.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DbChaosTest(username = "ops", password = "ops")
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
	 * Bounds the wait for an experiment to end (the client cannot see a definition's
	 * steps): the drill's 11 s of faults and its 30 s to recover, with room for a busy
	 * machine. Not a target: a drill ends as soon as its hypothesis holds again.
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

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	/** When the shop's circuit breaker closed during this test. */
	private final ConcurrentLinkedQueue<Instant> circuitClosed = new ConcurrentLinkedQueue<>();

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
		circuitBreaker().getEventPublisher().onStateTransition((event) -> {
			if (event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
				this.circuitClosed.add(event.getCreationTime().toInstant());
			}
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
	void theFailoverDrillPassesWhileThePagesAreServedThroughout(DbChaosClient chaos, TestInfo test) throws Exception {
		double outages = injections("outage");
		double readOnly = injections("read-only");

		ExperimentReport report = chaos.run(Experiment.definition("failover-drill").timeout(EXPERIMENT_BOUND));

		assertThat(report.state()).as("%s", report).isEqualTo("completed");
		assertThat(report.verdict()).as("%s", report).isEqualTo("passed");
		assertThat(report.steps()).extracting(StepReport::type).containsExactly("outage", "read-only");
		assertThat(report.steps()).allSatisfy((step) -> {
			assertThat(step.faultId()).isNotBlank();
			assertThat(step.error()).isNull();
			assertThat(step.endedAt()).isAfter(step.startedAt());
		});
		// The faults fired: JDBC calls met the outage and, after it, the read-only
		// database.
		assertThat(injections("outage")).isGreaterThan(outages);
		assertThat(injections("read-only")).isGreaterThan(readOnly);

		Instant recovered = recovered(report);
		List<Answer> answers = answersUntilAnOrderSucceededAfter(recovered);
		// Orders met the outage: refused with a clear 503 (one sent as it ended may get
		// through).
		StepReport outage = report.steps().get(0);
		assertThat(answers).filteredOn((answer) -> answer.isOrder() && metTheFault(answer, outage))
			.anySatisfy(DemoExperimentsIT::isRefusedClearly);
		// The pages were served throughout, from the last known catalogue.
		for (StepReport step : report.steps()) {
			assertThat(answers).filteredOn((answer) -> answer.isPage() && during(answer, step))
				.as("pages viewed during the %s step", step.type())
				.isNotEmpty();
		}
		assertEveryFailureIsAnOrderRefusedBetween(answers, report.startedAt(), recovered);

		Layout page = reportPage(report, test);
		assertThat(page.verdict()).isEqualTo("passed");
		assertThat(page.steps()).extracting(Band::step).containsExactly(0, 1);
		assertThat(page.abort()).isNull();
	}

	@Test
	void aLongOutageUnderTrafficIsAbortedByItsGuardWithItsFaultGoneAndOrdersSucceedAfterwards(DbChaosClient chaos,
			TestInfo test) throws Exception {
		double outages = injections("outage");

		ExperimentReport report = chaos.run(Experiment.definition("long-outage-guarded").timeout(EXPERIMENT_BOUND));
		// Read at once: the engine removes the experiment's faults in the check that
		// aborts it, before the report says aborted.
		JsonNode faultsAfterTheAbort = this.shop.rest()
			.get()
			.uri("/actuator/dbchaos")
			.retrieve()
			.toEntity(JsonNode.class)
			.getBody()
			.get("faults");

		assertThat(report.state()).as("%s", report).isEqualTo("aborted");
		assertThat(report.verdict()).isEqualTo("aborted");
		String guard = "meter http.server.requests{outcome=SERVER_ERROR} <= 1.0";
		AbortedBy abortedBy = report.abortedBy();
		assertThat(abortedBy.reason()).isEqualTo("guard");
		assertThat(abortedBy.check()).isEqualTo(guard);
		assertThat((Double) abortedBy.observed()).isGreaterThan(1.0);
		assertThat(abortedBy.message()).contains(guard, String.valueOf(abortedBy.observed()));
		StepReport step = report.steps().get(0);
		assertThat(step.faultId()).isNotBlank();
		// The outage was ended by the abort, long before its two minutes: in the same
		// check, within a second of the guard's failed check.
		assertThat(step.endedAt()).isEqualTo(report.endedAt());
		CheckReport guardCheck = report.checks()
			.stream()
			.filter((check) -> guard.equals(check.check()))
			.findFirst()
			.orElseThrow();
		assertThat(guardCheck.role()).isEqualTo("guard");
		assertThat(Duration.between(guardCheck.firstFailure().at(), report.endedAt()))
			.isLessThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(faultsAfterTheAbort).isEmpty();
		assertThat(injections("outage")).isGreaterThan(outages);

		Instant recovered = recovered(report);
		List<Answer> answers = answersUntilAnOrderSucceededAfter(recovered);
		// The guard trips at its first check, half a second in: the orders that met the
		// outage include the 5xx it saw, though one sent during it may be retried after
		// it
		// and succeed; a page served while it lasted shows the shop kept serving.
		assertThat(answers).filteredOn((answer) -> answer.isOrder() && metTheFault(answer, step))
			.anySatisfy(DemoExperimentsIT::isRefusedClearly);
		assertThat(answers).filteredOn((answer) -> answer.isPage() && metTheFault(answer, step)).isNotEmpty();
		assertEveryFailureIsAnOrderRefusedBetween(answers, report.startedAt(), recovered);
		assertThat(this.shop.order(UUID.randomUUID().toString(), SAMBA, SIZE, 1).getStatusCode())
			.isEqualTo(HttpStatus.CREATED);

		Layout page = reportPage(report, test);
		assertThat(page.verdict()).isEqualTo("aborted");
		Band outage = page.steps().get(0);
		assertThat(page.steps()).hasSize(1);
		// The outage ended with the abort: the marker stands at the band's right edge.
		assertThat(page.abort()).isNotNull().isCloseTo(outage.left() + outage.width(), within(2.0));
	}

	/**
	 * The page {@code @DbChaosTest} wrote for the experiment, as headless Chromium lays
	 * it out: every step band inside the chart, one plot for each sampled check, each
	 * with a point or a status segment for every sample.
	 */
	private static Layout reportPage(ExperimentReport report, TestInfo test) throws Exception {
		Path file = ExperimentReportPage.fileFor(Path.of(ExperimentReportPage.DEFAULT_DIRECTORY),
				DemoExperimentsIT.class, test.getTestMethod().orElseThrow().getName(), report.id());
		assertThat(file).as("the page @DbChaosTest wrote").isRegularFile();
		Layout page = ReportPageInChromium.open(file);
		assertThat(page.width()).isPositive();
		assertThat(page.steps()).allSatisfy((band) -> {
			assertThat(band.width()).isPositive();
			assertThat(band.left()).isNotNegative();
			assertThat(band.left() + band.width()).isLessThanOrEqualTo(page.width() + 0.5);
		});
		Map<String, Long> sampled = report.samples()
			.stream()
			.flatMap((sample) -> sample.values().keySet().stream())
			.collect(Collectors.groupingBy((name) -> name, LinkedHashMap::new, Collectors.counting()));
		assertThat(sampled).isNotEmpty();
		assertThat(page.series()).extracting(Plot::name).containsExactlyElementsOf(sampled.keySet());
		assertThat(page.series())
			.allSatisfy((plot) -> assertThat((long) (plot.points() + plot.statuses())).as(plot.name())
				.isEqualTo(sampled.get(plot.name())));
		return page;
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
	 * Wait until the shop has recovered from an experiment's faults, and return when it
	 * did: when its circuit breaker closed again, or, when the faults never opened it,
	 * when they were gone. Until then orders are refused: by the database, then by the
	 * open breaker, and by the half-open breaker beside its trial calls.
	 */
	private Instant recovered(ExperimentReport report) {
		await().atMost(Duration.ofSeconds(60)).until(() -> circuitBreaker().getState() == CircuitBreaker.State.CLOSED);
		Instant faultsGone = faultsGone(report);
		return this.circuitClosed.stream().filter(faultsGone::isBefore).max(Instant::compareTo).orElse(faultsGone);
	}

	/**
	 * The only failures accepted: orders refused with the clear 503 while the shop was
	 * without its database, that is answered after the experiment started and sent before
	 * the shop had recovered.
	 */
	private static void assertEveryFailureIsAnOrderRefusedBetween(List<Answer> answers, Instant startedAt,
			Instant recovered) {
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

	private static boolean during(Answer answer, StepReport step) {
		return answer.sentBetween(step.startedAt(), step.endedAt());
	}

	/** Whether the answer's request was in flight while the step's fault was. */
	private static boolean metTheFault(Answer answer, StepReport step) {
		return answer.inFlightBetween(step.startedAt(), step.endedAt());
	}

	/** When the last of the experiment's faults ended. */
	private static Instant faultsGone(ExperimentReport report) {
		return report.steps().stream().map(StepReport::endedAt).max(Instant::compareTo).orElseThrow();
	}

	private CircuitBreaker circuitBreaker() {
		return this.circuitBreakers.circuitBreaker(Database.NAME);
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

}
