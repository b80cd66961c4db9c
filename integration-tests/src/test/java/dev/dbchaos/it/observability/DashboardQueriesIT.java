package dev.dbchaos.it.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.client.Experiment;
import dev.dbchaos.client.Fault;
import dev.dbchaos.client.FaultHandle;
import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.it.observability.Dashboard.Query;
import dev.dbchaos.it.observability.OutageDrillChart.Band;
import dev.dbchaos.it.observability.OutageDrillChart.Line;
import dev.dbchaos.it.observability.OutageDrillChart.Plot;
import dev.dbchaos.testdatabases.ContinuousIntegration;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Every PromQL expression of the Grafana dashboard
 * ({@code observability/grafana/dbchaos.json}), run against a real Prometheus that
 * scraped the demo through an outage drill: a latency fault, then an outage, then
 * recovery. The dashboard JSON is the only source of the queries; each must return data,
 * with the values the drill implies.
 * <p>
 * Prometheus runs with the shipped {@code observability/prometheus.yml}, scraping every
 * second. The test is skipped, loudly, where the {@code prometheus} binary is missing,
 * except in CI ({@code CI=true}), where it must run. With {@code -Ddbchaos.figures=true}
 * it also writes the README's figures to {@code docs/images}: the shop page during the
 * outage (headless Chromium) and the drill's metrics as a chart.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "METRICS_INSTANCE=" + DashboardQueriesIT.INSTANCE)
// Spring Boot's tests export no metrics unless asked: the Prometheus registry is what is
// tested.
@AutoConfigureObservability(tracing = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "prometheusInstalledOrInCi",
		disabledReason = "no prometheus binary: apt-get install prometheus (or set PROMETHEUS_BIN)")
@DirtiesContext
class DashboardQueriesIT {

	static final String APPLICATION = "dbchaos-demo";

	static final String INSTANCE = "dashboard-it";

	static final String ACTIVE_RULES = "Active dbchaos rules by type";

	static final String INJECTIONS = "Injections per second by type and operation";

	static final String INJECTED_DELAY = "Mean injected delay by type";

	static final String REQUESTS = "Requests per second by endpoint";

	static final String ERROR_RATIO = "5xx error ratio by endpoint";

	static final String LATENCY = "Latency p95 / p99 by endpoint";

	static final String CONNECTIONS = "Connections: active / idle / pending";

	static final String ACQUISITION = "Connection acquisition time";

	static final String TIMEOUTS = "Connection timeouts per second";

	static final String BREAKER_STATE = "Circuit breaker state";

	static final String BREAKER_CALLS = "Circuit breaker calls per second by outcome";

	static final String RETRIES = "Retry outcomes per second";

	static final String RULE_ACTIVE = "dbchaos rule active";

	static final String EXPERIMENT_RUNNING = "dbchaos experiment running";

	static final String EXPERIMENT_ENDED = "dbchaos experiment ended";

	/** The panels whose values the tests below check: a new panel needs a check too. */
	static final Set<String> CHECKED_PANELS = Set.of(ACTIVE_RULES, INJECTIONS, INJECTED_DELAY, REQUESTS, ERROR_RATIO,
			LATENCY, CONNECTIONS, ACQUISITION, TIMEOUTS, BREAKER_STATE, BREAKER_CALLS, RETRIES);

	private static final Path REPOSITORY = Path.of("..");

	private static final Path DASHBOARD = REPOSITORY.resolve("observability/grafana/dbchaos.json");

	private static final Path SCRAPE_CONFIG = REPOSITORY.resolve("observability/prometheus.yml");

	private static final Path FIGURES = REPOSITORY.resolve("docs/images");

	private static final Path WORK = Path.of("target", "observability");

	private static final Duration STEP = Duration.ofSeconds(1);

	/**
	 * Grafana's {@code $__rate_interval}: max({@code $__interval} + scrape interval, 4 ×
	 * scrape interval), with a 1s scrape interval and 1s steps.
	 */
	private static final Duration RATE_INTERVAL = Duration.ofSeconds(4);

	private static final Duration LATENCY_DELAY = Duration.ofMillis(300);

	/**
	 * How long the drill holds each phase, measured on Prometheus's data. The latency
	 * rule stays for two rate windows, so that a window lies wholly inside it (a rule
	 * that ends releases the calls it holds early, and those shorter delays would blur
	 * its mean); the outage stays long enough for the circuit breaker to open, try again
	 * after 5s and open again; the end shows the service recovered, with no 5xx for a few
	 * seconds.
	 */
	private static final Duration BASELINE = Duration.ofSeconds(5);

	private static final Duration LATENCY_HELD = RATE_INTERVAL.multipliedBy(2);

	private static final Duration OUTAGE_HELD = Duration.ofSeconds(12);

	private static final Duration RECOVERED = Duration.ofSeconds(5);

	private static final String SNEAKERS_API = "/api/sneakers";

	private static final String BREAKER = "database";

	/**
	 * What the drill calls, and how often: an API client, and shoppers' pages and their
	 * polling.
	 */
	private static final Map<String, Duration> TRAFFIC = Map.of(SNEAKERS_API, Duration.ofMillis(100), "/catalogue",
			Duration.ofMillis(250), "/", Duration.ofMillis(500));

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	@LocalServerPort
	private int port;

	private final Dashboard dashboard = Dashboard.read(DASHBOARD);

	private final Map<Query, List<Series>> results = new LinkedHashMap<>();

	private PrometheusServer prometheus;

	private Instant start;

	private Instant end;

	/** The report of the experiment the drill ends with. */
	private ExperimentReport experiment;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		ManagedPostgres postgres = ManagedPostgres.shared();
		DatabaseProperties.register(registry, postgres, "dashboard_queries_it");
	}

	static boolean prometheusInstalledOrInCi() {
		if (PrometheusServer.findBinary().isPresent() || inCi()) {
			return true;
		}
		System.err.println("""

				************************************************************************************
				  DashboardQueriesIT SKIPPED: no prometheus binary on this machine.
				  The Grafana dashboard's queries are NOT verified. Install it with
				      apt-get install prometheus
				  or point PROMETHEUS_BIN at one. (In CI, CI=true, the test fails instead.)
				************************************************************************************
				""");
		return false;
	}

	private static boolean inCi() {
		return ContinuousIntegration.isCi();
	}

	private static boolean figuresRequested() {
		return Boolean.getBoolean("dbchaos.figures");
	}

	@BeforeAll
	void runTheOutageDrillAndQueryEveryPanel() throws IOException {
		Optional<Path> binary = PrometheusServer.findBinary();
		assertThat(binary).as("a prometheus binary (CI=true): apt-get install prometheus, or set PROMETHEUS_BIN")
			.isPresent();
		this.prometheus = PrometheusServer.start(binary.get(), scrapeConfiguration(), WORK.resolve("prometheus"));
		URI base = URI.create("http://localhost:" + this.port);
		DbChaosClient chaos = DbChaosClient.create(base.resolve("/actuator/dbchaos")).withBasicAuth("ops", "ops");
		chaos.clear();
		try (Traffic traffic = Traffic.start(base, TRAFFIC)) {
			awaitPrometheus("Prometheus scrapes the demo", "up{job=\"dbchaos-demo\"} == 1");
			Instant firstScrape = Instant.now();
			awaitPrometheus("requests are counted",
					"sum(rate(" + metric("http_server_requests_seconds_count", "uri=\"" + SNEAKERS_API + "\"") + "["
							+ rate() + "])) > 0");
			awaitPrometheus("a baseline of normal traffic", "count_over_time(" + metric("process_uptime_seconds") + "["
					+ BASELINE.toSeconds() + "s]) >= " + BASELINE.toSeconds());

			try (FaultHandle latency = chaos
				.inject(Fault.latency(LATENCY_DELAY).operation("query").duration(Duration.ofMinutes(1)))) {
				awaitPrometheus("the latency rule is seen",
						"sum(" + metric("dbchaos_faults_active", "type=\"latency\"") + ") == 1");
				awaitPrometheus("the latency rule in force for a while", heldFor("latency", LATENCY_HELD));
				// Long enough for the 95th percentile of a whole rate window to be a
				// delayed request.
				awaitPrometheus("the API is slowed down",
						"histogram_quantile(0.95, sum by (le) (rate("
								+ metric("http_server_requests_seconds_bucket", "uri=\"" + SNEAKERS_API + "\"") + "["
								+ rate() + "]))) >= " + LATENCY_DELAY.toMillis() / 1000.0);
			}
			awaitPrometheus("the latency rule is gone",
					"sum(" + metric("dbchaos_faults_active", "type=\"latency\"") + ") == 0");

			chaos.inject(Fault.outage().duration(Duration.ofMinutes(1)));
			awaitPrometheus("the API answers 5xx", "sum(rate("
					+ metric("http_server_requests_seconds_count", "status=~\"5..\"") + "[" + rate() + "])) > 0");
			awaitPrometheus("the circuit breaker is open",
					"max(" + metric("resilience4j_circuitbreaker_state", "name=\"" + BREAKER + "\"", "state=\"open\"")
							+ ") == 1");
			awaitPrometheus("the outage in force for a while", heldFor("outage", OUTAGE_HELD));
			await("the shop page tells shoppers live stock is unavailable").atMost(Duration.ofSeconds(20))
				.until(() -> get(base.resolve("/")).contains("Live stock is unavailable"));
			if (figuresRequested()) {
				ShopScreenshot.take(base.resolve("/"), FIGURES.resolve("shop-during-outage.png"),
						WORK.resolve("chromium"));
			}

			chaos.clear();
			awaitPrometheus("no rule is active", "sum(" + metric("dbchaos_faults_active") + ") == 0");
			awaitPrometheus("nothing is injected any more",
					"sum(rate(" + metric("dbchaos_injections_total") + "[" + rate() + "])) == 0");
			awaitPrometheus("the circuit breaker is closed again",
					"max(" + metric("resilience4j_circuitbreaker_state", "name=\"" + BREAKER + "\"", "state=\"closed\"")
							+ ") == 1");
			// Recovered means no 5xx for a while, not a lull between two trial calls of
			// the breaker.
			awaitPrometheus("no 5xx for " + RECOVERED.toSeconds() + "s",
					"max_over_time(sum(rate(" + metric("http_server_requests_seconds_count", "status=~\"5..\"") + "["
							+ rate() + "]))[" + RECOVERED.toSeconds() + "s:1s]) == 0");
			this.experiment = runAnExperimentItsGuardAborts(chaos);
			this.end = Instant.now();
			// Range queries sample at start + n × step: align the start so the last
			// sample is the end,
			// the moment every condition above held.
			this.start = this.end.minus(STEP.multipliedBy(Duration.between(firstScrape, this.end).dividedBy(STEP)));
			System.out.println("DashboardQueriesIT traffic: " + traffic.answers());
		}

		for (Query query : allQueries()) {
			this.results.put(query, this.prometheus.queryRange(resolve(query.expr()), this.start, this.end, STEP));
		}
		writeResults(WORK.resolve("outage-drill.json"));
		Path chart = WORK.resolve("outage-drill-metrics.png");
		OutageDrillChart.render(drill(), chart);
		if (figuresRequested()) {
			Files.copy(chart, FIGURES.resolve("outage-drill-metrics.png"), StandardCopyOption.REPLACE_EXISTING);
		}
	}

	@AfterAll
	void stopPrometheus() {
		if (this.prometheus != null) {
			this.prometheus.close();
		}
	}

	@TestFactory
	Stream<DynamicTest> everyQueryOfTheDashboardReturnsDataForTheDrill() {
		return allQueries().stream()
			.map((query) -> DynamicTest.dynamicTest(query + " returns data",
					() -> assertThat(this.results.get(query)).as("%s: %s", query, resolve(query.expr()))
						.anyMatch(Series::hasFiniteValue)));
	}

	@Test
	void everyPanelOfTheDashboardHasItsValuesChecked() {
		Set<String> panels = this.dashboard.panelQueries().stream().map(Query::panel).collect(Collectors.toSet());
		assertThat(panels).containsExactlyInAnyOrderElementsOf(CHECKED_PANELS);
	}

	@Test
	void variablesOfferTheDemoApplicationAndItsInstance() {
		assertThat(this.dashboard.variableNames()).contains("datasource", "application", "instance");
		Map<String, String> definitions = this.dashboard.queryVariables();
		assertThat(labelValues(definitions.get("application"), "application")).contains(APPLICATION);
		assertThat(labelValues(definitions.get("instance"), "instance")).containsExactly(INSTANCE);
	}

	@Test
	void activeRulesShowTheLatencyAndTheOutageRuleAndFallBackToZeroAfterClearing() {
		List<Series> rules = series(ACTIVE_RULES, "A");
		assertThat(byLabel(rules, "type").keySet()).contains("latency", "outage");
		assertThat(byLabel(rules, "type").get("latency").max()).hasValue(1);
		assertThat(byLabel(rules, "type").get("outage").max()).hasValue(1);
		assertThat(rules)
			.allSatisfy((series) -> assertThat(series.last().value()).as(series.labels().toString()).isZero());
	}

	@Test
	void injectionsArePositiveWhileARuleIsActiveAndStopOnceItIsCleared() {
		Map<String, List<Band>> active = activePeriods();
		List<Series> injections = series(INJECTIONS, "A");
		for (String type : List.of("latency", "outage")) {
			assertThat(injections).as("%s injections", type)
				.anyMatch((series) -> series.label("type").equals(type) && series.max().orElse(0) > 0);
		}
		// A rate still counts injections for one rate window after the rule is gone.
		Duration slack = RATE_INTERVAL.plus(STEP.multipliedBy(2));
		for (Series series : injections) {
			List<Band> periods = active.getOrDefault(series.label("type"), List.of());
			assertThat(series.samplesWhere((sample) -> sample.value() > 0)).as("%s outside its rule", series.labels())
				.allMatch((sample) -> periods.stream()
					.anyMatch((band) -> !sample.time().isBefore(band.from())
							&& !sample.time().isAfter(band.to().plus(slack))));
			assertThat(series.last().value()).as("%s after clearing", series.labels()).isZero();
		}
	}

	@Test
	void meanInjectedDelayIsTheLatencyFaultsDelay() {
		Series latency = byLabel(series(INJECTED_DELAY, "A"), "type").get("latency");
		assertThat(latency).isNotNull();
		assertThat(latency.max().orElseThrow()).isCloseTo(LATENCY_DELAY.toMillis() / 1000.0, within(0.05));
	}

	@Test
	void requestRateShowsTheTrafficOnEachEndpoint() {
		Map<String, Series> byUri = byLabel(series(REQUESTS, "A"), "uri");
		assertThat(byUri.keySet()).contains(SNEAKERS_API, "/catalogue", "/");
		assertThat(byUri.get(SNEAKERS_API).max().orElseThrow()).isGreaterThan(1);
	}

	@Test
	void errorRatioRisesDuringTheOutageAndIsZeroAfterIt() {
		Band outage = activePeriods().get("outage").get(0);
		Series api = byLabel(series(ERROR_RATIO, "A"), "uri").get(SNEAKERS_API);
		assertThat(api).isNotNull();
		assertThat(api.max(outage.from(), outage.to()).orElseThrow()).isGreaterThanOrEqualTo(0.5);
		assertThat(api.maxBefore(this.start, outage.from()).orElse(0)).as("before the outage").isZero();
		assertThat(api.last().value()).as("after the outage").isZero();
	}

	@Test
	void latencyPercentilesShowTheLatencyFaultAndTheWaitForConnectionsInTheOutage() {
		Band latency = activePeriods().get("latency").get(0);
		Band outage = activePeriods().get("outage").get(0);
		double delay = LATENCY_DELAY.toMillis() / 1000.0;
		Series p95 = byLabel(series(LATENCY, "A"), "uri").get(SNEAKERS_API);
		Series p99 = byLabel(series(LATENCY, "B"), "uri").get(SNEAKERS_API);
		assertThat(p95.max(latency.from(), latency.to().plus(RATE_INTERVAL)).orElseThrow())
			.isGreaterThanOrEqualTo(delay);
		assertThat(p99.max(latency.from(), latency.to().plus(RATE_INTERVAL)).orElseThrow())
			.isGreaterThanOrEqualTo(delay);
		// Before the circuit opens, each API call waits out Hikari's 2s connection
		// timeout.
		assertThat(p99.max(outage.from(), outage.to()).orElseThrow()).isGreaterThanOrEqualTo(1.0);
	}

	@Test
	void poolShowsItsConnectionsAndTheTimedOutWaitsOfTheOutage() {
		Band outage = activePeriods().get("outage").get(0);
		assertThat(series(CONNECTIONS, "A")).as("active").isNotEmpty();
		assertThat(series(CONNECTIONS, "B")).as("idle").anyMatch((series) -> series.max().orElse(0) > 0);
		assertThat(series(CONNECTIONS, "C")).as("pending").isNotEmpty();
		assertThat(series(ACQUISITION, "C")).as("max acquisition time in the outage")
			.anyMatch((series) -> series.max(outage.from(), outage.to()).orElse(0) >= 1.5);
		assertThat(series(ACQUISITION, "A")).as("p99").anyMatch(Series::hasFiniteValue);
		assertThat(series(ACQUISITION, "B")).as("mean").anyMatch(Series::hasFiniteValue);
		assertThat(series(TIMEOUTS, "A")).as("timeouts in the outage")
			.anyMatch((series) -> series.max(outage.from(), outage.to().plus(RATE_INTERVAL)).orElse(0) > 0);
	}

	@Test
	void circuitBreakerOpensDuringTheOutageAndClosesAfterIt() {
		Band outage = activePeriods().get("outage").get(0);
		Series state = byLabel(series(BREAKER_STATE, "A"), "name").get(BREAKER);
		assertThat(state).isNotNull();
		assertThat(state.maxBefore(this.start, outage.from()).orElseThrow()).as("closed before the outage").isZero();
		assertThat(state.max(outage.from(), outage.to()).orElseThrow()).as("OPEN in the outage").isEqualTo(2);
		assertThat(state.last().value()).as("CLOSED at the end").isZero();
		Map<String, Series> refused = byLabel(series(BREAKER_CALLS, "B"), "kind");
		assertThat(refused.get("not_permitted").max().orElseThrow()).as("calls refused while open").isPositive();
		Map<String, Series> calls = byLabel(series(BREAKER_CALLS, "A"), "kind");
		assertThat(calls.get("failed").max(outage.from(), outage.to()).orElseThrow()).isPositive();
		assertThat(calls.get("successful").max().orElseThrow()).isPositive();
	}

	@Test
	void retriesRecordSuccessesAndTheOutagesFailures() {
		Band outage = activePeriods().get("outage").get(0);
		Map<String, Series> database = byLabel(
				series(RETRIES, "A").stream().filter((series) -> series.label("name").equals(BREAKER)).toList(),
				"kind");
		assertThat(database.get("successful_without_retry").max().orElseThrow()).isPositive();
		assertThat(Stream.of("failed_with_retry", "failed_without_retry")
			.map(database::get)
			.mapToDouble((series) -> series.max(outage.from(), outage.to().plus(RATE_INTERVAL)).orElse(0))
			.sum()).as("failed calls in the outage").isPositive();
	}

	@Test
	void annotationMarksEachRuleFromItsStartToItsEnd() {
		Map<String, List<Band>> active = activePeriods();
		Map<String, Series> byType = byLabel(annotation(RULE_ACTIVE), "type");
		// The experiment's read-only rule lives for less than a guard check (0.5 s), so a
		// scrape once a second may or may not see it.
		assertThat(byType.keySet()).contains("latency", "outage").isSubsetOf("latency", "outage", "read-only");
		byType.forEach((type, series) -> {
			Band period = active.get(type).get(0);
			assertThat(series.samples().get(0).time()).as("%s starts", type).isEqualTo(period.from());
			assertThat(series.last().time()).as("%s ends", type).isEqualTo(period.to());
		});
	}

	@Test
	void annotationsMarkTheExperimentFromItsStartToItsAbort() {
		assertThat(this.experiment.verdict()).isEqualTo("aborted");
		Instant startedAt = this.experiment.startedAt();
		Instant endedAt = this.experiment.endedAt();
		// A range query's sample at t shows the last scrape before t, taken once a
		// second; a scrape's timestamp is when it started, a moment before it read the
		// meters.
		Duration scrape = Duration.ofSeconds(1);
		assertThat(annotation(EXPERIMENT_RUNNING)).singleElement()
			.satisfies((running) -> assertThat(running.samples()).isNotEmpty()
				.allSatisfy((sample) -> assertThat(sample.time()).isBetween(startedAt.minus(scrape),
						endedAt.plus(scrape.multipliedBy(3)))));
		Map<String, Series> ended = byLabel(annotation(EXPERIMENT_ENDED), "verdict");
		assertThat(ended.keySet()).containsExactly("aborted");
		assertThat(ended.get("aborted").samples()).isNotEmpty()
			.allSatisfy((sample) -> assertThat(sample.time()).isBetween(endedAt.minus(scrape),
					endedAt.plus(RATE_INTERVAL).plus(scrape.multipliedBy(2))));
	}

	private List<Series> annotation(String name) {
		return this.results.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().panel().equals(Dashboard.ANNOTATION)
					&& entry.getKey().refId().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No annotation " + name))
			.getValue();
	}

	/**
	 * Run a game-day experiment whose guard trips as soon as its fault is in force: its
	 * one step, 3 s in (so that Prometheus sees it running), adds a {@code read-only}
	 * fault scoped to no request, and its guard allows no {@code read-only} rule.
	 * @param chaos the demo's dbchaos endpoint
	 * @return the experiment's report once Prometheus has seen it start and end
	 */
	private ExperimentReport runAnExperimentItsGuardAborts(DbChaosClient chaos) {
		ExperimentReport started = chaos.start(Experiment.named("dashboard annotations")
			.step(Duration.ofSeconds(3), Fault.readOnly().scope("dashboard-it").duration(Duration.ofMinutes(1)))
			.hypothesis(Experiment.health("readiness", "UP"))
			.guard(Experiment.meter("dbchaos.faults.active", 0).tag("type", "read-only")));
		awaitPrometheus("the experiment is seen running",
				"max_over_time(sum(" + metric("dbchaos_experiments_active") + ")[1m:1s]) == 1");
		awaitPrometheus("the experiment is seen ended", "sum(" + metric("dbchaos_experiments_active") + ") == 0");
		awaitPrometheus("its abort is counted", "sum(increase("
				+ metric("dbchaos_experiments_total", "verdict=\"aborted\"") + "[" + rate() + "])) > 0");
		awaitPrometheus("its rule is gone", "sum(" + metric("dbchaos_faults_active") + ") == 0");
		return chaos.experiment(started.id());
	}

	private List<Query> allQueries() {
		List<Query> queries = new ArrayList<>(this.dashboard.panelQueries());
		queries.addAll(this.dashboard.annotationQueries());
		return queries;
	}

	/**
	 * The variables as Grafana would set them for this demo: its application, its
	 * instance, and the built-in intervals for a 1s scrape interval and 1s steps.
	 */
	private String resolve(String expression) {
		return Dashboard.substitute(expression,
				Map.of("application", APPLICATION, "instance", INSTANCE, "__rate_interval", rate(), "__interval",
						STEP.toSeconds() + "s", "__range", Duration.between(this.start, this.end).toSeconds() + "s"));
	}

	private static String rate() {
		return RATE_INTERVAL.toSeconds() + "s";
	}

	private static String metric(String name, String... matchers) {
		List<String> all = new ArrayList<>(
				List.of("application=\"" + APPLICATION + "\"", "instance=\"" + INSTANCE + "\""));
		all.addAll(List.of(matchers));
		return name + "{" + String.join(", ", all) + "}";
	}

	/**
	 * True once Prometheus has seen a rule of the type in force at every second of the
	 * last {@code duration}.
	 */
	private static String heldFor(String type, Duration duration) {
		return "min_over_time(sum(" + metric("dbchaos_faults_active", "type=\"" + type + "\"") + ")["
				+ duration.toSeconds() + "s:1s]) >= 1";
	}

	private String scrapeConfiguration() throws IOException {
		String shipped = Files.readString(SCRAPE_CONFIG);
		assertThat(shipped).contains("scrape_interval: 5s", "evaluation_interval: 5s", "'host.docker.internal:8080'");
		return shipped.replace("scrape_interval: 5s", "scrape_interval: 1s")
			.replace("evaluation_interval: 5s", "evaluation_interval: 1s")
			.replace("'host.docker.internal:8080'", "'127.0.0.1:" + this.port + "'");
	}

	private void awaitPrometheus(String description, String expression) {
		try {
			await(description).atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> !this.prometheus.query(expression).isEmpty());
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(
					description + ": no result for " + expression + "\nScrape targets:\n" + this.prometheus.targets(),
					ex);
		}
	}

	private Set<String> labelValues(String variable, String label) {
		return this.prometheus.query(resolve(Dashboard.labelValuesAsPromQl(variable)))
			.stream()
			.map((series) -> series.label(label))
			.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	private List<Series> series(String panel, String refId) {
		return this.results.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().panel().equals(panel) && entry.getKey().refId().equals(refId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No query " + refId + " in panel " + panel))
			.getValue();
	}

	private static Map<String, Series> byLabel(List<Series> series, String label) {
		Map<String, Series> byValue = new LinkedHashMap<>();
		series.forEach((one) -> byValue.put(one.label(label), one));
		return byValue;
	}

	/**
	 * When each type of rule was in force, as the "Active dbchaos rules" panel shows it.
	 */
	private Map<String, List<Band>> activePeriods() {
		Map<String, List<Band>> periods = new LinkedHashMap<>();
		for (Series series : series(ACTIVE_RULES, "A")) {
			Instant from = null;
			Instant last = null;
			for (Series.Sample sample : series.samples()) {
				if (sample.value() > 0 && from == null) {
					from = sample.time();
				}
				else if (sample.value() <= 0 && from != null) {
					periods.computeIfAbsent(series.label("type"), (type) -> new ArrayList<>())
						.add(new Band(series.label("type"), from, last));
					from = null;
				}
				last = sample.time();
			}
			if (from != null) {
				periods.computeIfAbsent(series.label("type"), (type) -> new ArrayList<>())
					.add(new Band(series.label("type"), from, last));
			}
		}
		return periods;
	}

	private static String get(URI uri) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		return http
			.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	/**
	 * The query results as Prometheus returned them, so that the figure can be checked
	 * against the data, and other charts drawn from it.
	 */
	private void writeResults(Path file) {
		List<Map<String, Object>> queries = new ArrayList<>();
		this.results.forEach((query, series) -> queries.add(Map.of("panel", query.panel(), "refId", query.refId(),
				"expr", resolve(query.expr()), "series",
				series.stream()
					.map((one) -> Map.of("labels", one.labels(), "values", one.samples()
						.stream()
						.map((sample) -> List.of(sample.time().toEpochMilli() / 1000.0, String.valueOf(sample.value())))
						.toList()))
					.toList())));
		try {
			Files.createDirectories(file.getParent());
			new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
				.writeValue(file.toFile(), Map.of("start", this.start.toString(), "end", this.end.toString(), "step",
						STEP.toString(), "queries", queries));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The figure: what a user would watch on the dashboard during the drill, drawn from
	 * the dashboard's own queries.
	 */
	private OutageDrillChart.Drill drill() {
		List<Band> faults = new ArrayList<>();
		activePeriods().forEach((type,
				periods) -> periods.forEach((period) -> faults
					.add(new Band(type.equals("latency") ? "latency +" + LATENCY_DELAY.toMillis() + " ms" : type,
							period.from(), period.to()))));
		Query errors = query(ERROR_RATIO, "A");
		List<Line> errorLines = this.results.get(errors)
			.stream()
			.filter((series) -> series.max().orElse(0) > 0)
			.map((series) -> new Line(errors.legend(series), series.samples()))
			.toList();
		// The endpoints the drill calls; Prometheus's own scrapes and Chromium's static
		// files only add noise.
		List<Line> p99 = byLabel(series(LATENCY, "B"), "uri").entrySet()
			.stream()
			.filter((entry) -> TRAFFIC.containsKey(entry.getKey()))
			.map((entry) -> new Line(entry.getKey(), entry.getValue().samples()))
			.toList();
		List<Plot> plots = List.of(
				new Plot("HTTP 5xx ratio", errorLines, (value) -> Math.round(value * 100) + " %", 1, 4, false),
				new Plot("p99 latency", p99, (value) -> String.format("%.1f s", value), 0, 5, false),
				new Plot("dbchaos injections/s", lines(INJECTIONS, "A"), (value) -> String.format("%.0f/s", value), 0,
						5, false),
				new Plot("Hikari connections", lines(CONNECTIONS, "A", "B", "C"),
						(value) -> String.format("%.0f", value), 0, 5, true),
				new Plot("Circuit breaker", lines(BREAKER_STATE, "A"),
						(value) -> List.of("CLOSED", "HALF_OPEN", "OPEN").get((int) Math.round(value)), 2, 2, true));
		String subtitle = "Real data: Prometheus scraping the demo every 1 s in DashboardQueriesIT, "
				+ DAY.format(this.start)
				+ ".\nEach chart is a query of observability/grafana/dbchaos.json; shaded: a dbchaos rule in force.";
		return new OutageDrillChart.Drill("Outage drill: a latency fault, then an outage, then recovery", subtitle,
				this.start, this.end, faults, plots);
	}

	private Query query(String panel, String refId) {
		return this.results.keySet()
			.stream()
			.filter((query) -> query.panel().equals(panel) && query.refId().equals(refId))
			.findFirst()
			.orElseThrow();
	}

	private List<Line> lines(String panel, String... refIds) {
		List<Line> lines = new ArrayList<>();
		for (String refId : refIds) {
			Query query = query(panel, refId);
			this.results.get(query).forEach((series) -> lines.add(new Line(query.legend(series), series.samples())));
		}
		return lines;
	}

}
