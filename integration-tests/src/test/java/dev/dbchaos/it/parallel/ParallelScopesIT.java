package dev.dbchaos.it.parallel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.client.Fault;
import dev.dbchaos.client.FaultHandle;
import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.test.DbChaosTest;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos tests running concurrently against one demo service, each breaking the database
 * in a scope of its own, while a control test with no scope runs alongside and must see
 * no fault at all. The demo's circuit breaker stays in place: with
 * {@code dbchaos.scope.isolate-resilience4j} each scope trips only its own breaker. Every
 * test is repeated 20 times, so that cross-talk has many chances to show.
 * <p>
 * Its methods run concurrently with each other and with nothing else: {@code @Execution}
 * on a class lets JUnit run the class itself beside the suite's other classes too, which
 * put these nine tests and their five-second transaction deadlines beside a load test
 * breaking a server of its own ({@code NothingLostUnderChaosIT}) on the same two cores.
 * {@link Isolated} keeps the other classes out while this one runs.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.scope.isolate-resilience4j=true",
				// Headroom for nine tests holding connections while their faults slow
				// them down,
				// and time bounds a 2-core machine running nine chaos tests at once can
				// meet
				// without any fault: the point here is isolation, not pool sizing or
				// speed.
				"spring.datasource.hikari.maximum-pool-size=30", "spring.datasource.hikari.connection-timeout=10000",
				"resilience4j.circuitbreaker.instances.database.slow-call-duration-threshold=10s" })
@DbChaosTest(username = "ops", password = "ops")
@Execution(ExecutionMode.CONCURRENT)
@Isolated("its methods share the machine with each other only")
class ParallelScopesIT {

	private static final int REPETITIONS = 20;

	private static final ManagedPostgres postgres = ManagedPostgres.create();

	private static final AtomicBoolean stocked = new AtomicBoolean();

	private final HttpClient plainHttp = HttpClient.newHttpClient();

	@Autowired
	private TestRestTemplate rest;

	@Autowired
	private JdbcClient jdbc;

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

	@BeforeEach
	void stockUpOnce() {
		// Hundreds of orders are placed: enough pairs that none of them can sell out.
		if (stocked.compareAndSet(false, true)) {
			this.jdbc.sql("UPDATE stock SET quantity = 1000000").update();
		}
	}

	@RepeatedTest(REPETITIONS)
	void outageInMyScopeFailsMyRequestsFastAndOpensOnlyMyBreaker(DbChaosClient chaos) {
		chaos.inject(Fault.outage());
		for (int i = 0; i < 4; i++) {
			assertThat(placeOrder().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		}
		assertThat(sneakers().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		// Tripped: open, or already half-open again on a slow machine (it waits 5 s when
		// open).
		assertThat(myBreakerState()).isIn(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);
		assertThat(sharedBreakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@RepeatedTest(REPETITIONS)
	void latencyInMyScopeSlowsMyReadsAndNothingElse(DbChaosClient chaos) {
		chaos.inject(Fault.latency(Duration.ofMillis(150)).operation("query"));
		long start = System.nanoTime();
		ResponseEntity<String> response = sneakers();
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
		assertThat(placeOrder().getStatusCode()).isEqualTo(HttpStatus.CREATED);
	}

	@RepeatedTest(REPETITIONS)
	void readOnlyInMyScopeRefusesMyOrdersButServesMyReads(DbChaosClient chaos) {
		chaos.inject(Fault.readOnly());
		assertThat(sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
		ResponseEntity<String> order = placeOrder();
		assertThat(order.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(order.getBody()).contains("Database unavailable");
	}

	@RepeatedTest(REPETITIONS)
	void transientErrorInMyScopeIsAbsorbedByRetries(DbChaosClient chaos) {
		FaultHandle serializationFailure = chaos.inject(Fault.error("40001").operation("update").count(1));
		assertThat(placeOrder().getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(isActive(serializationFailure)).as("the fault fired once and was used up").isFalse();
	}

	@RepeatedTest(REPETITIONS)
	void statementTimeoutInMyScopeFailsMyReadsWith503(DbChaosClient chaos) {
		chaos.inject(Fault.error("57014").operation("query"));
		assertThat(sneakers().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
	}

	@RepeatedTest(REPETITIONS)
	void hangInMyScopeHoldsMyRequestUntilItEnds(DbChaosClient chaos) {
		// Timed from before the fault starts: its 400 ms run from the injection, and on a
		// busy
		// machine the request may start well after it, which left less than 300 ms to
		// wait.
		long start = System.nanoTime();
		chaos.inject(Fault.hang().operation("query").duration(Duration.ofMillis(400)));
		assertThat(sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@RepeatedTest(REPETITIONS)
	void countedErrorInMyScopeFailsOnlyMyFirstRead(DbChaosClient chaos) {
		chaos.inject(Fault.error("42501").message("permission denied for table sneaker").operation("query").count(1));
		// A missing grant is a bug of the deployment, not an unavailable database: a 500,
		// which
		// neither retries nor serves the last known catalogue.
		ResponseEntity<String> refused = sneakers();
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(refused.getBody()).contains("\"title\":\"Unexpected error\"");
		assertThat(sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@RepeatedTest(REPETITIONS)
	void asyncConfirmationRunsInMyScopeAndIsAwaitedNotSlept(DbChaosClient chaos) {
		// The confirmation's first insert fails in this scope only; its retry succeeds.
		FaultHandle confirmationFailure = chaos
			.inject(Fault.error("40001").sql("(?i)insert into order_confirmation").count(1));
		ResponseEntity<String> order = placeOrder();
		assertThat(order.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		chaos.awaitQuiescence(chaos.getScope(), Duration.ofSeconds(20));
		long orderId = Long.parseLong(order.getBody().replaceAll(".*\"id\"\\s*:\\s*(\\d+).*", "$1"));
		assertThat(confirmations(orderId)).isOne();
		assertThat(isActive(confirmationFailure)).as("the scoped fault fired once and was used up").isFalse();
	}

	@RepeatedTest(REPETITIONS)
	void controlWithoutScopeSeesNoFaultAtAll() throws Exception {
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> sneakers = this.plainHttp
				.send(HttpRequest.newBuilder(uri("/api/sneakers")).GET().build(), HttpResponse.BodyHandlers.ofString());
			assertThat(sneakers.statusCode()).as(sneakers.body()).isEqualTo(200);
			HttpResponse<String> order = this.plainHttp.send(HttpRequest.newBuilder(uri("/api/orders"))
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", UUID.randomUUID().toString())
				.POST(HttpRequest.BodyPublishers.ofString(ORDER))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
		}
		assertThat(sharedBreakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	private static final String ORDER = "{\"sneakerId\":3,\"size\":\"40\",\"quantity\":1}";

	private ResponseEntity<String> sneakers() {
		return this.rest.getForEntity("/api/sneakers", String.class);
	}

	private ResponseEntity<String> placeOrder() {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		headers.set("Idempotency-Key", UUID.randomUUID().toString());
		return this.rest.exchange("/api/orders", HttpMethod.POST, new HttpEntity<>(ORDER, headers), String.class);
	}

	private CircuitBreaker.State myBreakerState() {
		// Looked up on the test thread, which is bound to the test's scope: its own
		// breaker.
		return this.circuitBreakers.circuitBreaker("database", "database").getState();
	}

	private CircuitBreaker.State sharedBreakerState() {
		try (DbChaosScope.Binding unscoped = DbChaosScope.propagate(null)) {
			return this.circuitBreakers.circuitBreaker("database", "database").getState();
		}
	}

	private int confirmations(long orderId) {
		return this.jdbc.sql("SELECT count(*) FROM order_confirmation WHERE order_id = ?")
			.param(orderId)
			.query(Integer.class)
			.single();
	}

	/**
	 * Whether a fault is still in force; a counted fault is removed once it has been used
	 * up.
	 */
	private boolean isActive(FaultHandle fault) {
		return this.rest.getForEntity("/actuator/dbchaos/" + fault.getId(), String.class)
			.getStatusCode() != HttpStatus.NOT_FOUND;
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
