package dev.dbchaos.it.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.client.Fault;
import dev.dbchaos.client.FaultHandle;
import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.it.support.FailureDiagnostics;
import dev.dbchaos.it.support.LogCapture;
import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.test.DbChaosTest;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 20 buyers place 2,000 orders, each with its own idempotency key, retrying with the same
 * key until the shop gives a definitive answer, while about 30% of the JDBC calls of
 * their requests (and of the confirmations those requests start) fail with a mix of
 * serialization failures (40001), deadlocks (40P01) and connections lost at commit
 * (08006). Afterwards the books must balance: every order acknowledged with 201 exists
 * exactly once, no key placed two orders, the stock is what was there minus what was
 * ordered, every committed order is confirmed, and no pooled connection is left in use.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		// At ~75% failed attempts the circuit breaker would (rightly) stay open and this
		// would
		// test its open state, which InjectedFaultsOverHttpIT does. Here it only watches.
		"resilience4j.circuitbreaker.instances.database.minimum-number-of-calls=100000",
		"resilience4j.circuitbreaker.instances.database.sliding-window-size=100000",
		// The retries themselves stay (3 attempts, on the same predicate); only their 100
		// ms and
		// 200 ms pauses are shortened, which would otherwise be most of this scenario's
		// run time.
		"resilience4j.retry.instances.database.wait-duration=10ms",
		// Confirmations that fail give up quickly to the sweep, which runs often: both
		// paths
		// of the outbox are exercised within seconds instead of the demo's 15 s and 20 s.
		"resilience4j.retry.instances.confirmation.max-attempts=2",
		"resilience4j.retry.instances.confirmation.wait-duration=50ms", "demo.confirmation.sweep-after=1s",
		"demo.confirmation.sweep-interval=500ms",
		// Thousands of expected failures: their stack traces would bury the build log.
		"logging.level.com.zaxxer.hikari.pool.ProxyConnection=ERROR",
		"logging.level.org.springframework.transaction.support.TransactionTemplate=OFF" })
@DirtiesContext
@DbChaosTest(username = ShopClient.OPS_USER, password = ShopClient.OPS_PASSWORD, quiescenceTimeout = "60s")
@ExtendWith(FailureDiagnostics.class)
class NothingLostUnderChaosIT {

	private static final int BUYERS = 20;

	private static final int ORDERS = 2_000;

	/**
	 * Serialization failures and deadlocks, each on any call with this probability:
	 * together 1 - 0.84^2 = 29.4% of the calls; lost connections at commit bring it to
	 * about 30%.
	 */
	private static final double CONTENTION = 0.16;

	/**
	 * Lost connections (08006) at commit, the worst moment: the client cannot know
	 * whether the order was placed. Each one ends its session and Hikari opens a new
	 * connection, one at a time: on every call they would make this a test of connection
	 * set-up speed.
	 */
	private static final double LOST_AT_COMMIT = 0.1;

	private static final int PAIRS_PER_SIZE = 200;

	/** The released sneakers and their sizes (the demo's seed): 9 x 200 = 1,800 pairs. */
	private static final Map<Long, List<String>> SIZES = Map.of(2L, List.of("40", "41", "42", "43", "44"), 3L,
			List.of("39", "40", "41", "42"));

	/** Retries of one order before the scenario calls it stuck. */
	private static final int MAX_ATTEMPTS = 100;

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final String DATABASE = "nothing_lost_under_chaos_it";

	private static final ObjectMapper json = new ObjectMapper();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, postgres, DATABASE);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private HikariDataSource pool;

	@Autowired
	private FaultRegistry faults;

	@Test
	void twoThousandOrdersUnderThirtyPercentFailuresLoseNothingAndDoubleNothing(DbChaosClient chaos) throws Exception {
		ShopDatabase database = new ShopDatabase(postgres, postgres.createDatabase(DATABASE));
		database.update("UPDATE stock SET quantity = ? WHERE sneaker_id IN (2, 3)", PAIRS_PER_SIZE);
		Map<String, Long> initialStock = stock(database);
		List<Order> orders = orders();

		// Scoped to this test's requests and the confirmations they start; the shop's own
		// background refresh and the sweep stay healthy, as they would for one bad
		// client.
		List<FaultHandle> faults = List.of(
				chaos.inject(Fault.error("40001").probability(CONTENTION).duration(Duration.ofMinutes(5))),
				chaos.inject(Fault.error("40P01").probability(CONTENTION).duration(Duration.ofMinutes(5))),
				chaos.inject(Fault.error("08006")
					.operation("commit")
					.probability(LOST_AT_COMMIT)
					.duration(Duration.ofMinutes(5))));

		long started = System.nanoTime();
		Outcomes outcomes;
		List<String> refusals;
		try (LogCapture logs = LogCapture.demo()) {
			outcomes = buy(orders, chaos.getScope());
			refusals = logs.messages("ApiExceptionHandler");
		}
		Duration buying = Duration.ofNanos(System.nanoTime() - started);
		long injected = faults.stream()
			.mapToLong((fault) -> this.faults.get(fault.getId()).orElseThrow().getInjections())
			.sum();

		chaos.clear();
		// Seed 004: the confirmations these requests started finish before anything is
		// counted.
		chaos.awaitQuiescence(chaos.getScope(), Duration.ofSeconds(60));

		assertThat(outcomes.unexpected).as("answers other than 201, 409 and 503").isEmpty();
		assertThat(outcomes.stuck.get()).as("orders without a definitive answer after %d attempts", MAX_ATTEMPTS)
			.isZero();
		assertThat(outcomes.acknowledged.size() + outcomes.soldOut.size()).isEqualTo(ORDERS);

		// The chaos happened, and every refusal the buyers saw is one of its failures
		// (the
		// breaker only watches here), by the cause the shop logged for each 503: an
		// injected
		// SQLState after the three attempts of the shop's retry, each one an injection;
		// or a
		// lost commit, whose 08006 closed the connection, so that Spring's rollback after
		// it
		// failed with "Connection is closed" and replaced it (one injection, not
		// retried).
		long retriedOut = refusals.stream()
			.filter((refusal) -> refusal.contains("[40001]") || refusal.contains("[40P01]")
					|| refusal.contains("[08006]"))
			.count();
		long lostCommits = refusals.stream()
			.filter((refusal) -> refusal.endsWith("TransactionSystemException <- SQLException: Connection is closed"))
			.count();
		assertThat(refusals).as("the shop's reason for each 503").hasSize(outcomes.refused.get());
		assertThat(retriedOut + lostCommits).as("503s caused by an injected failure, of %s", refusals)
			.isEqualTo(refusals.size());
		assertThat(injected).as("failures injected").isPositive();
		assertThat(injected).as("failures injected: three per retried-out request, one per lost commit")
			.isGreaterThanOrEqualTo(3 * retriedOut + lostCommits);

		// Every acknowledged order exists exactly once, under its key; nothing else was
		// placed.
		Map<String, Long> placed = new HashMap<>();
		for (List<Object> row : database.query("SELECT idempotency_key, id FROM customer_order")) {
			placed.put((String) row.get(0), ((Number) row.get(1)).longValue());
		}
		assertThat(database
			.query("SELECT idempotency_key FROM customer_order GROUP BY idempotency_key HAVING count(*) > 1"))
			.as("keys that placed two orders")
			.isEmpty();
		assertThat(placed).containsExactlyInAnyOrderEntriesOf(outcomes.acknowledged);

		// Stock is what was there minus what the placed orders took, and never below
		// zero.
		Map<String, Long> ordered = new HashMap<>();
		for (List<Object> row : database
			.query("SELECT sneaker_id || '/' || size, sum(quantity) FROM customer_order GROUP BY 1")) {
			ordered.put((String) row.get(0), ((Number) row.get(1)).longValue());
		}
		Map<String, Long> finalStock = stock(database);
		for (Map.Entry<String, Long> initial : initialStock.entrySet()) {
			long expected = initial.getValue() - ordered.getOrDefault(initial.getKey(), 0L);
			assertThat(finalStock.get(initial.getKey())).as("stock of %s", initial.getKey())
				.isEqualTo(expected)
				.isNotNegative();
		}

		// Every committed order has its confirmation: from the @Async writer, or the
		// sweep
		// for those whose retries the chaos used up (the sweep runs on its own schedule).
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(
					() -> assertThat(database.queryForLong("SELECT count(*) FROM customer_order o WHERE NOT EXISTS "
							+ "(SELECT 1 FROM order_confirmation c WHERE c.order_id = o.id)"))
						.isZero());
		assertThat(database.queryForLong("SELECT count(*) FROM order_confirmation")).isEqualTo(placed.size());

		// No connection left checked out: every failed attempt gave its connection back.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero());

		System.out.printf(
				"Chaos: %d orders by %d buyers in %d ms, %d requests (%d refused with 503, %d timed out "
						+ "and sent again); %d failures injected; %d placed, %d sold out, %d replays%n",
				ORDERS, BUYERS, buying.toMillis(), outcomes.requests.get(), outcomes.refused.get(),
				outcomes.timedOut.get(), injected, placed.size(), outcomes.soldOut.size(), outcomes.replays.get());
	}

	private Outcomes buy(List<Order> orders, String scope) throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		ConcurrentLinkedQueue<Order> queue = new ConcurrentLinkedQueue<>(orders);
		Outcomes outcomes = new Outcomes();
		ExecutorService buyers = Executors.newFixedThreadPool(BUYERS);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int buyer = 0; buyer < BUYERS; buyer++) {
				running.add(buyers.submit(() -> {
					for (Order order = queue.poll(); order != null; order = queue.poll()) {
						place(http, order, scope, outcomes);
					}
					return null;
				}));
			}
			for (Future<?> buyer : running) {
				buyer.get();
			}
		}
		finally {
			buyers.shutdownNow();
		}
		return outcomes;
	}

	/**
	 * Place one order as a careful client does: the same key on every retry, until the
	 * shop answers 201 (placed) or 409 (sold out).
	 */
	private void place(HttpClient http, Order order, String scope, Outcomes outcomes) throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/orders"))
			.timeout(Duration.ofSeconds(15))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", order.key())
			.header(ShopClient.SCOPE_HEADER, scope)
			.POST(HttpRequest.BodyPublishers.ofString("{\"sneakerId\":%d,\"size\":\"%s\",\"quantity\":%d}"
				.formatted(order.sneakerId(), order.size(), order.quantity())))
			.build();
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			HttpResponse<String> response;
			try {
				outcomes.requests.incrementAndGet();
				response = http.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				// No answer within the client's timeout: sent again with the same key,
				// counted.
				outcomes.timedOut.incrementAndGet();
				continue;
			}
			switch (response.statusCode()) {
				case 201 -> {
					JsonNode body = read(response.body());
					Long earlier = outcomes.acknowledged.putIfAbsent(order.key(), body.get("id").asLong());
					if (earlier != null && earlier != body.get("id").asLong()) {
						outcomes.unexpected.add(order.key() + ": acknowledged as order " + earlier + " and as "
								+ body.get("id").asLong());
					}
					if (response.headers().firstValue("Idempotent-Replayed").orElse("").equals("true")) {
						outcomes.replays.incrementAndGet();
					}
					return;
				}
				case 409 -> {
					outcomes.soldOut.add(order.key());
					return;
				}
				case 503 -> outcomes.refused.incrementAndGet();
				default -> {
					outcomes.unexpected.add(order.key() + ": " + response.statusCode() + " " + response.body());
					return;
				}
			}
		}
		outcomes.stuck.incrementAndGet();
	}

	private static List<Order> orders() {
		// Seeded: a failing run can be replayed with the same orders.
		Random random = new Random(20_251_122L);
		List<Long> sneakers = List.of(2L, 3L);
		List<Order> orders = new ArrayList<>(ORDERS);
		for (int i = 0; i < ORDERS; i++) {
			long sneakerId = sneakers.get(random.nextInt(sneakers.size()));
			List<String> sizes = SIZES.get(sneakerId);
			orders.add(new Order("chaos-" + i + "-" + random.nextInt(1_000_000), sneakerId,
					sizes.get(random.nextInt(sizes.size())), 1 + random.nextInt(2)));
		}
		return orders;
	}

	private static Map<String, Long> stock(ShopDatabase database) {
		Map<String, Long> stock = new HashMap<>();
		for (List<Object> row : database
			.query("SELECT sneaker_id || '/' || size, quantity FROM stock WHERE sneaker_id IN (2, 3)")) {
			stock.put((String) row.get(0), ((Number) row.get(1)).longValue());
		}
		return stock;
	}

	private static JsonNode read(String body) {
		try {
			return json.readTree(body);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Not JSON: " + body, ex);
		}
	}

	private record Order(String key, long sneakerId, String size, int quantity) {
	}

	private static final class Outcomes {

		final Map<String, Long> acknowledged = new ConcurrentHashMap<>();

		final List<String> soldOut = java.util.Collections.synchronizedList(new ArrayList<>());

		final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

		final AtomicInteger requests = new AtomicInteger();

		final AtomicInteger refused = new AtomicInteger();

		final AtomicInteger timedOut = new AtomicInteger();

		final AtomicInteger replays = new AtomicInteger();

		final AtomicInteger stuck = new AtomicInteger();

	}

}
