package dev.dbchaos.it.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.it.support.LogCapture;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo under load while its faults change as fast as they can: 200 request threads
 * browse and order for 60 seconds, while 4 operators add and remove rules through the
 * endpoint with no pause. Nothing may fail but what the faults cause (a 503 naming the
 * database, whose logged cause is an injected failure, a pool timeout or the open
 * breaker, each within its counter), nothing may deadlock, the rule list stays
 * consistent, and once the last rule is deleted the next request succeeds.
 * <p>
 * The rules are scoped to the load's requests, with
 * {@code dbchaos.scope.isolate-resilience4j}, so that the unscoped request that checks
 * recovery meets the shop's shared circuit breaker as the faults left it: untouched.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.scope.isolate-resilience4j=true", "server.tomcat.threads.max=220",
				"spring.datasource.hikari.maximum-pool-size=20",
				// Two cores serving 200 threads: calls slow down without any fault, and
				// the
				// point here is correctness under churn, not latency.
				"spring.datasource.hikari.connection-timeout=10000",
				"resilience4j.circuitbreaker.instances.database.slow-call-duration-threshold=30s",
				"spring.transaction.default-timeout=30s", "logging.level.dev.dbchaos=ERROR",
				// The shop's reason for each 503, which attributes it.
				"logging.level.dev.dbchaos.demo.web.ApiExceptionHandler=WARN" })
class RuleChurnUnderLoadIT {

	private static final Duration LOAD = Duration.ofSeconds(60);

	private static final int REQUEST_THREADS = 200;

	private static final int OPERATORS = 4;

	private static final String SCOPE = "churn";

	private static final String ORDER = "{\"sneakerId\":3,\"size\":\"40\",\"quantity\":1}";

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	private static final ManagedPostgres postgres = ManagedPostgres.create();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Autowired
	private FaultRegistry registry;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry properties) {
		postgres.start();
		DatabaseProperties.register(properties, postgres);
	}

	@AfterAll
	static void stopDatabase() {
		postgres.close();
	}

	@Test
	void rulesChurningUnderTwoHundredRequestThreadsBreakNothingButWhatTheyInject() throws Exception {
		this.jdbc.sql("UPDATE stock SET quantity = 1000000").update();
		Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
		Queue<String> unexpected = new ConcurrentLinkedQueue<>();
		// When each rule's DELETE returned, by a sequence number: a rule removed before a
		// snapshot
		// of the list was taken must not be in it.
		Map<String, Long> removedAt = new ConcurrentHashMap<>();
		AtomicLong sequence = new AtomicLong();
		Queue<String> inconsistencies = new ConcurrentLinkedQueue<>();
		AtomicLong added = new AtomicLong();
		AtomicLong removed = new AtomicLong();
		long deadline = System.nanoTime() + LOAD.toNanos();

		long injectionsBefore = count("dbchaos.injections");
		long poolTimeoutsBefore = count("hikaricp.connections.timeout");
		// The scope's breaker is created by the load's first request: count its refusals
		// from then.
		AtomicLong notPermitted = new AtomicLong();
		this.circuitBreakers.getEventPublisher()
			.onEntryAdded((entry) -> entry.getAddedEntry()
				.getEventPublisher()
				.onCallNotPermitted((refusal) -> notPermitted.incrementAndGet()));
		LogCapture logs = LogCapture.demo();
		ExecutorService threads = Executors.newFixedThreadPool(REQUEST_THREADS + OPERATORS + 1);
		List<Future<?>> all = new ArrayList<>();
		for (int i = 0; i < REQUEST_THREADS; i++) {
			all.add(threads.submit(() -> {
				while (System.nanoTime() < deadline) {
					request(statuses, unexpected);
				}
				return null;
			}));
		}
		for (int i = 0; i < OPERATORS; i++) {
			all.add(threads.submit(() -> {
				while (System.nanoTime() < deadline) {
					churn(added, removed, removedAt, sequence, unexpected);
				}
				return null;
			}));
		}
		// Consistency: no id listed twice, and a rule once removed never listed again.
		all.add(threads.submit(() -> {
			while (System.nanoTime() < deadline) {
				long before = sequence.get();
				List<String> ids = this.registry.getRules().stream().map(FaultRule::getId).toList();
				if (Set.copyOf(ids).size() != ids.size()) {
					inconsistencies.add("duplicate ids in " + ids);
				}
				ids.stream()
					.filter((id) -> removedAt.getOrDefault(id, Long.MAX_VALUE) <= before)
					.forEach((id) -> inconsistencies.add("removed " + id + " still listed"));
			}
			return null;
		}));

		// No deadlock: every thread ends within a bound after the load stops.
		for (Future<?> thread : all) {
			thread.get(LOAD.toSeconds() + 60, TimeUnit.SECONDS);
		}
		threads.shutdown();
		logs.close();

		// Every 503 the clients saw is attributed by the cause the shop logged for it,
		// and each
		// kind is covered by the counter of whoever refused: the scope's circuit breaker
		// (its events: its metrics restart with every state), Hikari's connection
		// timeouts, or
		// dbchaos's injections.
		Attribution attribution = Attribution.of(logs.messages("ApiExceptionHandler"));
		long clientsSaw503 = statuses.getOrDefault(503, new AtomicLong()).get();
		assertThat(attribution.unattributed).as("503s no fault, pool timeout or open breaker explains").isEmpty();
		assertThat(attribution.total()).as("503s the shop logged, of %d the clients saw", clientsSaw503)
			.isEqualTo(clientsSaw503);
		assertThat(attribution.injected).as("503s from injected failures")
			.isLessThanOrEqualTo(count("dbchaos.injections") - injectionsBefore);
		assertThat(attribution.poolTimeouts).as("503s from pool timeouts")
			.isLessThanOrEqualTo(count("hikaricp.connections.timeout") - poolTimeoutsBefore);
		assertThat(attribution.breakerRejections).as("503s from the open breaker")
			.isLessThanOrEqualTo(notPermitted.get());
		System.out.printf(
				"Churn: %s; %d rules added, %d removed; 503s: %d injected, %d pool timeouts, " + "%d open breaker%n",
				statuses, added.get(), removed.get(), attribution.injected, attribution.poolTimeouts,
				attribution.breakerRejections);

		HttpResponse<String> cleared = send(authorized(HttpRequest.newBuilder(uri("/actuator/dbchaos")).DELETE()));
		assertThat(cleared.statusCode()).isEqualTo(200);
		assertThat(this.registry.getRules()).isEmpty();
		HttpResponse<String> next = send(HttpRequest.newBuilder(uri("/api/sneakers")).GET());
		assertThat(next.statusCode()).as("the next request after the last DELETE").isEqualTo(200);

		assertThat(unexpected).as("failures other than injected ones").isEmpty();
		assertThat(inconsistencies).as("rule list inconsistencies").isEmpty();
		assertThat(statuses.get(200)).as("requests served").isNotNull();
		assertThat(added.get()).isPositive();
		assertThat(removed.get()).isPositive();
	}

	private void request(Map<Integer, AtomicLong> statuses, Queue<String> unexpected) {
		boolean order = ThreadLocalRandom.current().nextBoolean();
		HttpRequest.Builder request = order
				? HttpRequest.newBuilder(uri("/api/orders"))
					.header("Content-Type", "application/json")
					.header("Idempotency-Key", UUID.randomUUID().toString())
					.POST(HttpRequest.BodyPublishers.ofString(ORDER))
				: HttpRequest.newBuilder(uri("/api/sneakers")).GET();
		HttpResponse<String> response;
		try {
			response = send(request.header("X-DbChaos-Scope", SCOPE));
		}
		catch (IOException ex) {
			unexpected.add("I/O: " + ex);
			return;
		}
		statuses.computeIfAbsent(response.statusCode(), (status) -> new AtomicLong()).incrementAndGet();
		boolean expected = response.statusCode() == 200 || response.statusCode() == 201
				|| (response.statusCode() == 503 && response.body().contains("Database unavailable"));
		if (!expected) {
			unexpected.add(response.statusCode() + " " + response.body());
		}
	}

	private void churn(AtomicLong added, AtomicLong removed, Map<String, Long> removedAt, AtomicLong sequence,
			Queue<String> unexpected) throws IOException {
		HttpResponse<String> response = send(authorized(HttpRequest.newBuilder(uri("/actuator/dbchaos"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(randomRule()))));
		if (response.statusCode() != 201) {
			unexpected.add("add refused: " + response.statusCode() + " " + response.body());
			return;
		}
		added.incrementAndGet();
		Matcher id = ID.matcher(response.body());
		assertThat(id.find()).isTrue();
		HttpResponse<String> deleted = send(
				authorized(HttpRequest.newBuilder(uri("/actuator/dbchaos/" + id.group(1))).DELETE()));
		// 404 is fine: a counted rule may have used itself up in between.
		if (deleted.statusCode() != 200 && deleted.statusCode() != 404) {
			unexpected.add("remove refused: " + deleted.statusCode() + " " + deleted.body());
			return;
		}
		removedAt.put(id.group(1), sequence.incrementAndGet());
		removed.incrementAndGet();
	}

	private long count(String counter) {
		return (long) this.meters.find(counter).counters().stream().mapToDouble(Counter::count).sum();
	}

	private static String randomRule() {
		String scope = ",\"scope\":\"" + SCOPE + "\",\"duration\":\"5s\"";
		return switch (ThreadLocalRandom.current().nextInt(5)) {
			case 0 -> "{\"type\":\"outage\",\"probability\":0.3" + scope + "}";
			case 1 -> "{\"type\":\"latency\",\"delay\":\"20ms\",\"operation\":\"query\"" + scope + "}";
			case 2 -> "{\"type\":\"error\",\"sqlState\":\"40001\",\"count\":3" + scope + "}";
			case 3 -> "{\"type\":\"read-only\",\"probability\":0.5" + scope + "}";
			default -> "{\"type\":\"hang\",\"operation\":\"query\",\"duration\":\"100ms\",\"scope\":\"" + SCOPE + "\"}";
		};
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	private static HttpRequest.Builder authorized(HttpRequest.Builder request) {
		return request.header("Authorization",
				"Basic " + Base64.getEncoder().encodeToString("ops:ops".getBytes(StandardCharsets.UTF_8)));
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	/**
	 * The 503s by who refused them, from the cause the shop logged for each.
	 */
	private static final class Attribution {

		/** What the churned rules inject, and what it leaves behind. */
		private static final List<String> INJECTED = List.of("[57P01]", "[08001]", "[08003]", "[08006]", "[40001]",
				"[25006]",
				// An outage at commit closed the connection, and Spring's rollback after
				// the
				// failed commit found it closed and replaced the commit's exception.
				"TransactionSystemException <- SQLException: Connection is closed");

		long injected;

		long poolTimeouts;

		long breakerRejections;

		final List<String> unattributed = new ArrayList<>();

		static Attribution of(List<String> refusals) {
			Attribution attribution = new Attribution();
			for (String refusal : refusals) {
				if (refusal.contains("(circuit breaker open)")) {
					attribution.breakerRejections++;
				}
				else if (refusal.contains("SQLTransientConnectionException")
						&& refusal.contains("Connection is not available, request timed out")) {
					attribution.poolTimeouts++;
				}
				else if (INJECTED.stream().anyMatch(refusal::contains)) {
					attribution.injected++;
				}
				else {
					attribution.unattributed.add(refusal);
				}
			}
			return attribution;
		}

		long total() {
			return this.injected + this.poolTimeouts + this.breakerRejections + this.unattributed.size();
		}

	}

}
