package dev.dbchaos.it.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.demo.Timed;
import dev.dbchaos.demo.database.Database;
import dev.dbchaos.it.support.FailureDiagnostics;
import dev.dbchaos.it.support.LogCapture;
import dev.dbchaos.it.support.ShopBounds;
import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.testdatabases.ManagedDatabase;

import static dev.dbchaos.demo.Problems.assertDatabaseUnavailable;
import static dev.dbchaos.demo.Problems.assertRefusedByOpenCircuit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seed 001: a service that returned errors after a database outage until somebody
 * restarted it. Here the real server is stopped, frozen (SIGSTOP) or has its connections
 * killed ({@code pg_terminate_backend}, MariaDB's {@code KILL CONNECTION}) under a
 * working shop; meanwhile every request fails fast with a clear 503 (or succeeds), none
 * hangs past the demo's documented bound; afterwards writes succeed again within a
 * measured time, in the same JVM, same context, same pool. One subclass per database,
 * each with a server of its own (this scenario stops and freezes it).
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(FailureDiagnostics.class)
abstract class AbstractRecoveryWithoutRestartIT {

	private static final long SAMBA = 3;

	/** How many requests arrive together while the database is away. */
	private static final int CONCURRENT_REQUESTS = 6;

	/**
	 * The longest a recovered database may wait for its first successful write: the
	 * circuit breaker's open state, plus a failed trial and its connection timeout, plus
	 * slack.
	 */
	private static final Duration RECOVERY_BOUND = ShopBounds.OPEN_STATE.multipliedBy(2)
		.plus(ShopBounds.CONNECTION_TIMEOUT)
		.plus(ShopBounds.SLACK);

	/**
	 * The concurrent clients, one pool per test: a static one would be shut down by the
	 * first subclass to finish.
	 */
	private final ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT_REQUESTS);

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private HikariDataSource pool;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	private ShopClient shop;

	private ShopDatabase database;

	private long contextStartedAt;

	@AfterEach
	void stopClients() {
		this.clients.shutdownNow();
	}

	/**
	 * Return the server of the subclass's own.
	 * @return the server
	 */
	abstract ManagedDatabase server();

	/**
	 * Return how the shop's log names the failure of a connection whose session the
	 * server killed, as {@code [SQLState]}.
	 * @return what the shop's log says for a killed session, any of them
	 */
	abstract List<String> killedSessionStates();

	@BeforeEach
	void workingService() {
		this.shop = new ShopClient(this.port);
		this.database = new ShopDatabase(server(), server().jdbcUrl());
		// Enough pairs that the scenario measures recovery, never "sold out".
		this.database.update("UPDATE stock SET quantity = 1000 WHERE sneaker_id = ?", SAMBA);
		this.contextStartedAt = this.context.getStartupDate();
		// Each scenario starts from a healthy shop: the previous one's circuit has
		// closed.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(placeOrder().getStatusCode()).isEqualTo(HttpStatus.CREATED));
	}

	@Test
	void stoppedDatabaseFailsRequestsFastAndWritesSucceedAgainOnceItIsStarted() {
		server().stop();

		List<String> refusedKeys = requestsFailFastWithin(ShopBounds.STOPPED);

		Duration recovery = timeToFirstWrite(server()::start);
		report("stopped", recovery);
		assertNothingCommitted(refusedKeys);
	}

	@Test
	void frozenDatabaseFailsRequestsWithinTheSocketTimeoutAndWritesSucceedAgainOnceItIsThawed() {
		server().freeze();

		List<String> refusedKeys = requestsFailFastWithin(ShopBounds.FROZEN);

		Duration recovery = timeToFirstWrite(server()::thaw);
		report("frozen", recovery);
		// A commit may have reached the frozen server before its client gave up: when the
		// server thaws it completes. The 503 said "not known to have happened", and the
		// idempotency key is how the client finds out: the same key replays, never buys
		// twice. Replayed once the shop has recovered: the first write above may have
		// been
		// one of the circuit breaker's trial calls, and until its trials have closed it,
		// a
		// half-open breaker refuses further calls (503) by design.
		await().atMost(RECOVERY_BOUND)
			.until(() -> this.circuitBreakers.circuitBreaker(Database.NAME).getState() == CircuitBreaker.State.CLOSED);
		for (String key : refusedKeys) {
			ResponseEntity<JsonNode> replay = this.shop.order(key, SAMBA, "41", 1);
			assertThat(replay.getStatusCode()).isEqualTo(HttpStatus.CREATED);
			assertThat(this.database.queryForLong("SELECT count(*) FROM customer_order WHERE idempotency_key = ?", key))
				.isOne();
		}
	}

	@Test
	void killedConnectionsAreReplacedAndWritesGoOnWithoutRestart() {
		int terminated = server().terminateConnections();
		assertThat(terminated).as("the pool's connections were killed").isPositive();

		// Killed connections are lost connections (57P01, 08000), which the demo retries
		// on a
		// fresh
		// one: each request either succeeds or fails fast, none hangs. An order can still
		// be
		// refused: its three attempts may all draw killed connections from the pool, or
		// those
		// failures may open the circuit breaker; the shop's log names why it refused each
		// one.
		List<Timed<ResponseEntity<JsonNode>>> answers;
		List<String> refusals;
		try (LogCapture logs = LogCapture.demo()) {
			answers = concurrentOrders();
			refusals = logs.messages("ApiExceptionHandler");
		}
		for (Timed<ResponseEntity<JsonNode>> answer : answers) {
			if (answer.result().getStatusCode() != HttpStatus.CREATED) {
				assertDatabaseUnavailable(answer.result());
			}
			assertThat(answer.elapsed()).isLessThan(ShopBounds.STOPPED);
		}
		long refused = answers.stream()
			.filter((answer) -> answer.result().getStatusCode() == HttpStatus.SERVICE_UNAVAILABLE)
			.count();
		assertThat(refusals).as("the shop's reason for each refused order").hasSize((int) refused);
		List<String> reasons = new ArrayList<>(killedSessionStates());
		reasons.add("circuit breaker open");
		assertThat(refusals).allSatisfy((refusal) -> assertThat(refusal).as("refused for the killed sessions")
			.containsAnyOf(reasons.toArray(String[]::new)));

		Duration recovery = timeToFirstWrite(() -> {
		});
		report("connections killed", recovery);
	}

	/**
	 * Send orders together while the database is away; each must be a clear 503 within
	 * the bound; then, once the circuit breaker has opened, without waiting for a
	 * connection.
	 * @return the idempotency keys of the refused orders
	 */
	private List<String> requestsFailFastWithin(Duration bound) {
		List<Timed<ResponseEntity<JsonNode>>> answers = concurrentOrders();
		Duration slowest = Duration.ZERO;
		for (Timed<ResponseEntity<JsonNode>> answer : answers) {
			assertDatabaseUnavailable(answer.result());
			assertThat(answer.elapsed()).isLessThan(bound);
			slowest = (answer.elapsed().compareTo(slowest) > 0) ? answer.elapsed() : slowest;
		}
		System.out.printf("Recovery: slowest of %d concurrent refused orders took %d ms (bound %d ms)%n",
				answers.size(), slowest.toMillis(), bound.toMillis());
		await().atMost(Duration.ofSeconds(40))
			.until(() -> this.circuitBreakers.circuitBreaker(Database.NAME).getState() == CircuitBreaker.State.OPEN);
		Timed<ResponseEntity<JsonNode>> fast = Timed.call(this::placeOrder);
		assertRefusedByOpenCircuit(fast.result());
		assertThat(fast.elapsed()).isLessThan(ShopBounds.CIRCUIT_OPEN);
		return answers.stream().map((answer) -> answer.result().getHeaders().getFirst("X-Test-Key")).toList();
	}

	private List<Timed<ResponseEntity<JsonNode>>> concurrentOrders() {
		List<CompletableFuture<Timed<ResponseEntity<JsonNode>>>> requests = IntStream.range(0, CONCURRENT_REQUESTS)
			.mapToObj((i) -> CompletableFuture.supplyAsync(() -> Timed.call(this::placeOrder), this.clients))
			.toList();
		return requests.stream().map(CompletableFuture::join).toList();
	}

	/**
	 * Bring the database back and measure how long until an order is placed again.
	 */
	private Duration timeToFirstWrite(Runnable bringBack) {
		bringBack.run();
		long back = System.nanoTime();
		await().atMost(RECOVERY_BOUND)
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(placeOrder().getStatusCode()).isEqualTo(HttpStatus.CREATED));
		Duration recovery = Duration.ofNanos(System.nanoTime() - back);
		// Same JVM, same application context, same pool: nothing was restarted.
		assertThat(this.context.getStartupDate()).isEqualTo(this.contextStartedAt);
		assertThat(this.pool.isClosed()).isFalse();
		assertThat(this.pool.getHikariPoolMXBean().getTotalConnections()).isPositive();
		return recovery;
	}

	private void assertNothingCommitted(List<String> refusedKeys) {
		for (String key : refusedKeys) {
			assertThat(this.database.queryForLong("SELECT count(*) FROM customer_order WHERE idempotency_key = ?", key))
				.as("order %s was refused with 503, and not placed", key)
				.isZero();
		}
	}

	private ResponseEntity<JsonNode> placeOrder() {
		String key = UUID.randomUUID().toString();
		ResponseEntity<JsonNode> answer = this.shop.order(key, SAMBA, "41", 1);
		// Carried along so that the scenario can look the order up afterwards.
		return ResponseEntity.status(answer.getStatusCode()).headers((headers) -> {
			headers.addAll(answer.getHeaders());
			headers.set("X-Test-Key", key);
		}).body(answer.getBody());
	}

	private void report(String how, Duration recovery) {
		System.out.printf("Recovery (%s): first successful write %d ms after the database was back; circuit %s%n", how,
				recovery.toMillis(), this.circuitBreakers.circuitBreaker(Database.NAME).getState());
	}

}
