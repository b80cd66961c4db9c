package dev.dbchaos.it.faults;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.client.Fault;
import dev.dbchaos.client.FaultHandle;
import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.demo.ShopPage;
import dev.dbchaos.demo.Timed;
import dev.dbchaos.demo.database.Database;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.it.support.FailureDiagnostics;
import dev.dbchaos.it.support.ShopBounds;
import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static dev.dbchaos.demo.Problems.assertDatabaseUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every fault type and filter of the starter, injected as an operator would: over HTTP,
 * through {@code /actuator/dbchaos}, as the ops user, with {@link DbChaosClient}. Each
 * test says what the demo really does under the fault; what the shop's data holds
 * afterwards (an order whose commit reply was lost) is read directly from PostgreSQL,
 * beneath the fault proxy.
 * <p>
 * Each test's requests carry a scope of their own, so that the work they start in the
 * background (order confirmations) can be awaited by condition before the test asserts
 * and before the next one starts (seed 004), never by sleeping.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(FailureDiagnostics.class)
class InjectedFaultsOverHttpIT {

	private static final long SNEAKER_1 = 1;

	private static final long SAMBA = 3;

	/**
	 * The statement of every catalogue read: the API's and the shopper pages' refresh.
	 */
	private static final String CATALOGUE_READ = "FROM sneaker s LEFT JOIN stock";

	/** The write of an order. */
	private static final String ORDER_INSERT = "INSERT INTO customer_order";

	/**
	 * Shared with other classes that only inject faults: nothing here stops the server.
	 */
	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final String DATABASE = "injected_faults_over_http_it";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, postgres, DATABASE);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private FaultRegistry registry;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	private String scope;

	/** This test's requests, in this test's scope. */
	private ShopClient shop;

	/**
	 * The operator's client of the endpoint: faults it injects apply to every request.
	 */
	private DbChaosClient chaos;

	private ShopDatabase database;

	@BeforeEach
	void shopInScope() {
		this.scope = "it-" + UUID.randomUUID().toString().substring(0, 8);
		this.shop = new ShopClient(this.port).inScope(this.scope);
		this.chaos = this.shop.chaos();
		this.database = new ShopDatabase(postgres, postgres.createDatabase(DATABASE));
		this.database.update("UPDATE stock SET quantity = 1000 WHERE sneaker_id = ?", SAMBA);
		// A shop that has been serving: the circuit breaker's window (6 calls) full of
		// successes. On an idle shop two failures in a row would already be half of the 4
		// calls
		// it needs, and open it: what a test then sees would depend on the background
		// refresh.
		circuitBreaker().reset();
		for (int i = 0; i < 6; i++) {
			assertThat(new ShopClient(this.port).sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
		}
		// And a page the background refresh has caught up with: a fault of the test
		// before
		// (the methods run in random order) leaves the outage notice up until the next
		// successful refresh, which a test about the page would otherwise see.
		await().atMost(Duration.ofSeconds(15))
			.until(() -> !new ShopPage(new ShopClient(this.port).page().getBody()).showsOutageNotice());
	}

	@AfterEach
	void endFaultsAndWaitForBackgroundWork() {
		this.chaos.clear();
		// Seed 004: what this test's requests started in the background finishes before
		// the
		// next test starts, so that it can neither fail there nor be cut short here.
		this.chaos.awaitQuiescence(this.scope, Duration.ofSeconds(30));
		circuitBreaker().reset();
	}

	@Test
	void outageMakesEveryDatabaseRequestAClear503WithinTheConnectionTimeoutWhileShoppersBrowse() {
		this.chaos.inject(Fault.outage().duration(Duration.ofMinutes(1)));

		Timed<ResponseEntity<JsonNode>> order = Timed.call(() -> this.shop.order(key(), SAMBA, "41", 1));
		assertDatabaseUnavailable(order.result());
		assertThat(order.elapsed()).isLessThan(ShopBounds.STOPPED);
		assertDatabaseUnavailable(this.shop.release(SNEAKER_1));
		assertDatabaseUnavailable(this.shop.sneakers());
		Timed<ResponseEntity<String>> page = Timed.call(this.shop::page);
		assertThat(page.result().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(page.elapsed()).isLessThan(ShopBounds.PAGE);
		assertThat(new ShopPage(page.result().getBody()).showsComingSoon(SNEAKER_1)).isTrue();

		this.chaos.clear();

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.shop.order(key(), SAMBA, "41", 1).getStatusCode())
				.isEqualTo(HttpStatus.CREATED));
	}

	@Test
	void poolExhaustionMakesAnOrderAClear503WithinTheConnectionTimeoutAndTheShopRecoversWhenItEnds()
			throws SQLException {
		HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
		HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
		int baseline = pool.getActiveConnections();
		this.chaos.inject(Fault.poolExhaustion().duration(Duration.ofMinutes(1)));
		// dbchaos borrows the pool's connections as the pool hands them out, and stops
		// waiting for more once it holds every one.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> pool.getActiveConnections() == hikari.getMaximumPoolSize()
					&& pool.getThreadsAwaitingConnection() == 0);

		Timed<ResponseEntity<JsonNode>> order = Timed.call(() -> this.shop.order(key(), SAMBA, "41", 1));

		assertDatabaseUnavailable(order.result());
		assertThat(order.elapsed()).isLessThan(ShopBounds.STOPPED);
		this.chaos.clear();
		// Back to its baseline; the shop's background refresh may borrow one meanwhile.
		await().atMost(Duration.ofSeconds(20)).until(() -> pool.getActiveConnections() <= baseline);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.shop.order(key(), SAMBA, "41", 1).getStatusCode())
				.isEqualTo(HttpStatus.CREATED));
	}

	@Test
	void lockOnStockMakesAnOrderAClear503AndOrdersSucceedOnceItIsReleased() {
		// The demo sets no lock_timeout: behind a migration's lock the order's INSERT
		// waits
		// on the server until its statement is cancelled, and the demo tries it once
		// more.
		this.chaos.inject(Fault.lock("stock").duration(Duration.ofMinutes(1)));

		Timed<ResponseEntity<JsonNode>> order = Timed.call(() -> this.shop.order(key(), SAMBA, "41", 1));

		assertDatabaseUnavailable(order.result());
		this.chaos.clear();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.shop.order(key(), SAMBA, "41", 1).getStatusCode())
				.isEqualTo(HttpStatus.CREATED));
		System.out.printf("Injected lock: the order was refused after %d ms%n", order.elapsed().toMillis());
	}

	@Test
	void hangHoldsARequestNoLongerThanTheSocketTimeoutAndAnswers503() {
		this.chaos.inject(Fault.hang().duration(Duration.ofMinutes(1)));

		Timed<ResponseEntity<JsonNode>> order = Timed.call(() -> this.shop.order(key(), SAMBA, "41", 1));

		assertDatabaseUnavailable(order.result());
		assertThat(order.elapsed()).isLessThan(ShopBounds.FROZEN);
		System.out.printf("Injected hang: the order was refused after %d ms (bound %d ms)%n",
				order.elapsed().toMillis(), ShopBounds.FROZEN.toMillis());
	}

	@Test
	void latencyMakesRequestsSlowerByTheDelay() {
		Duration baseline = fastest(3);
		Duration delay = Duration.ofMillis(400);
		// Scoped to this test's requests, so that the background refresh keeps its pace.
		this.chaos.inject(Fault.latency(delay).sql(CATALOGUE_READ).scope(this.scope));

		Timed<ResponseEntity<JsonNode>> slowed = Timed.call(this.shop::sneakers);

		assertThat(slowed.result().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(slowed.elapsed()).isGreaterThanOrEqualTo(delay)
			.isLessThan(baseline.plus(delay).plus(ShopBounds.SLACK));
		System.out.printf("Injected latency: %d ms without, %d ms with a %d ms delay%n", baseline.toMillis(),
				slowed.elapsed().toMillis(), delay.toMillis());
	}

	@Test
	void latencyPastTheSlowCallThresholdOpensTheCircuitBreakerThenRequestsFailAtOnce() {
		Duration delay = ShopBounds.SLOW_CALL.plusMillis(300);
		this.chaos.inject(Fault.latency(delay).sql(CATALOGUE_READ).duration(Duration.ofMinutes(1)));

		// What the demo really does: slow reads still answer 200 (within the 5 s
		// statement
		// timeout), but each counts as a slow call; half of the last 6 (at least 4) opens
		// it.
		List<CompletableFuture<ResponseEntity<JsonNode>>> slowReads = IntStream.range(0, 4)
			.mapToObj((i) -> CompletableFuture.supplyAsync(this.shop::sneakers))
			.toList();
		for (CompletableFuture<ResponseEntity<JsonNode>> read : slowReads) {
			// Slow but answered; or refused by the breaker that earlier slow calls (the
			// background refresh reads the catalogue too) have opened already.
			ResponseEntity<JsonNode> answer = read.join();
			if (answer.getStatusCode() != HttpStatus.OK) {
				assertDatabaseUnavailable(answer);
				assertThat(answer.getBody().get("detail").asText()).contains("circuit breaker open");
			}
		}
		await().atMost(Duration.ofSeconds(15)).until(() -> circuitBreaker().getState() == CircuitBreaker.State.OPEN);

		Timed<ResponseEntity<JsonNode>> refused = Timed.call(this.shop::sneakers);
		assertDatabaseUnavailable(refused.result());
		assertThat(refused.result().getBody().get("detail").asText()).contains("circuit breaker open");
		assertThat(refused.elapsed()).isLessThan(ShopBounds.CIRCUIT_OPEN);
	}

	@Test
	void transientErrorIsAbsorbedByRetriesAndTheOrderIsPlacedOnceAndConfirmed() {
		FaultHandle serializationFailures = this.chaos
			.inject(Fault.error("40001").operation("update").sql(ORDER_INSERT).count(2));
		String key = key();

		ResponseEntity<JsonNode> order = this.shop.order(key, SAMBA, "41", 1);

		assertThat(order.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(ordersWithKey(key)).isOne();
		assertThat(this.registry.get(serializationFailures.getId())).as("both failures used up").isEmpty();
		// Seed 004: the confirmation is written by an @Async task. Waiting for this
		// scope's
		// work to finish is the condition; after it the row is there, no polling, no
		// sleep.
		this.chaos.awaitQuiescence(this.scope, Duration.ofSeconds(20));
		assertThat(this.database.queryForLong("SELECT count(*) FROM order_confirmation WHERE order_id = ?",
				order.getBody().get("id").asLong()))
			.isOne();
	}

	@Test
	void fatalErrorIsAClear503AtOnceAndIsNotRetried() {
		// 57P02, PostgreSQL's FATAL "terminating connection because of crash of another
		// server
		// process": not worth a retry, and the database, not the shop, is at fault.
		FaultHandle crash = this.chaos.inject(Fault.error("57P02").sql(ORDER_INSERT).scope(this.scope));

		Timed<ResponseEntity<JsonNode>> order = Timed.call(() -> this.shop.order(key(), SAMBA, "41", 1));

		assertDatabaseUnavailable(order.result());
		assertThat(order.elapsed()).isLessThan(ShopBounds.CONNECTION_TIMEOUT);
		assertThat(rule(crash).getInjections()).as("one attempt, no retry").isOne();
	}

	@Test
	void readOnlyDatabaseKeepsBrowsingAndReadsWorkingAndRefusesOrdersAndReleasesClearly() {
		long placed = this.shop.order(key(), SAMBA, "41", 1).getBody().get("id").asLong();
		this.chaos.inject(Fault.readOnly().duration(Duration.ofMinutes(1)));

		assertThat(this.shop.sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.shop.getOrder(placed).getStatusCode()).isEqualTo(HttpStatus.OK);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> !new ShopPage(this.shop.page().getBody()).showsOutageNotice());

		ResponseEntity<JsonNode> order = this.shop.order(key(), SAMBA, "41", 1);
		assertDatabaseUnavailable(order);
		assertThat(order.getBody().get("detail").asText()).contains("could not place the order");
		ResponseEntity<JsonNode> release = this.shop.release(SNEAKER_1);
		assertDatabaseUnavailable(release);
		assertThat(release.getBody().get("detail").asText()).contains("could not release the sneaker");
		assertThat(this.database.queryForLong("SELECT count(*) FROM sneaker WHERE id = ? AND released_at IS NULL",
				SNEAKER_1))
			.isOne();
	}

	@Test
	void orderWhoseCommitReplyWasLostIsA503AndTheSameKeyAnswersTheOriginalOrderWithStockTakenOnce() {
		long stockBefore = stock();
		String key = key();
		FaultHandle lostReply = this.chaos
			.inject(Fault.ambiguousCommit().operation("commit").scope(this.scope).count(1));

		ResponseEntity<JsonNode> first = this.shop.order(key, SAMBA, "41", 1);

		assertDatabaseUnavailable(first);
		assertThat(this.registry.get(lostReply.getId())).as("the commit's reply was lost, once").isEmpty();
		assertThat(ordersWithKey(key)).as("the order was committed all the same").isOne();
		assertThat(stock()).isEqualTo(stockBefore - 1);

		ResponseEntity<JsonNode> again = this.shop.order(key, SAMBA, "41", 1);

		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(again.getBody().get("id").asLong()).isEqualTo(orderIdOfKey(key));
		assertThat(ordersWithKey(key)).as("never a second order").isOne();
		assertThat(stock()).as("stock taken exactly once").isEqualTo(stockBefore - 1);
	}

	@Test
	void orderWhoseCommitRepliesAreLostOnEveryAttemptIsA503AndTheRetryAfterwardsFindsIt() {
		long stockBefore = stock();
		String key = key();
		FaultHandle lostReplies = this.chaos.inject(Fault.ambiguousCommit().scope(this.scope));

		assertDatabaseUnavailable(this.shop.order(key, SAMBA, "41", 1));
		assertDatabaseUnavailable(this.shop.order(key, SAMBA, "41", 1));
		lostReplies.close();

		ResponseEntity<JsonNode> afterwards = this.shop.order(key, SAMBA, "41", 1);

		assertThat(afterwards.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(afterwards.getBody().get("id").asLong()).isEqualTo(orderIdOfKey(key));
		assertThat(ordersWithKey(key)).isOne();
		assertThat(stock()).isEqualTo(stockBefore - 1);
	}

	@Test
	void catalogueReadWhoseRowsBreakOffIsRetriedAndAnswered() {
		FaultHandle reset = this.chaos.inject(Fault.resultReset(1).sql(CATALOGUE_READ).scope(this.scope).count(1));

		ResponseEntity<JsonNode> sneakers = this.shop.sneakers();

		assertThat(sneakers.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(sneakers.getBody().size()).isEqualTo(new ShopClient(this.port).sneakers().getBody().size());
		assertThat(this.registry.get(reset.getId())).as("one read broke off, and was retried").isEmpty();
	}

	@Test
	void catalogueReadWhoseRowsBreakOffOnEveryAttemptIsAClear503() {
		FaultHandle reset = this.chaos.inject(Fault.resultReset(1).sql(CATALOGUE_READ).scope(this.scope));

		assertDatabaseUnavailable(this.shop.sneakers());
		assertThat(this.registry.get(reset.getId()).orElseThrow().getInjections()).as("every attempt broke off")
			.isEqualTo(3);
	}

	@Test
	void countFailsOnlyTheFirstCallsThenTheFaultRemovesItself() {
		FaultHandle firstTwo = this.chaos.inject(Fault.error("57P02").sql(CATALOGUE_READ).scope(this.scope).count(2));

		assertDatabaseUnavailable(this.shop.sneakers());
		assertDatabaseUnavailable(this.shop.sneakers());
		assertThat(this.shop.sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.registry.get(firstTwo.getId())).isEmpty();
	}

	@Test
	void probabilityFailsAboutThatShareOfCalls() {
		int requests = 40;
		FaultHandle half = this.chaos
			.inject(Fault.error("57P02").sql(CATALOGUE_READ).scope(this.scope).probability(0.5));

		int refused = 0;
		for (int i = 0; i < requests; i++) {
			// At 50% failures the circuit breaker would (rightly) open and refuse calls
			// before
			// they reach the database: closing it each time keeps this about the fault.
			circuitBreaker().reset();
			if (this.shop.sneakers().getStatusCode() == HttpStatus.SERVICE_UNAVAILABLE) {
				refused++;
			}
		}

		// Binomial(40, 0.5): outside 8..32 with a probability of about 1 in 10,000.
		assertThat(refused).isBetween(8, 32);
		assertThat(rule(half).getInjections()).isEqualTo(refused);
		System.out.printf("Injected probability 0.5: %d of %d requests refused%n", refused, requests);
	}

	@Test
	void durationEndsTheFaultByItself() {
		Duration duration = Duration.ofSeconds(1);
		FaultHandle brief = this.chaos
			.inject(Fault.error("57P02").sql(CATALOGUE_READ).scope(this.scope).duration(duration));
		long injected = System.nanoTime();
		assertDatabaseUnavailable(this.shop.sneakers());

		await().atMost(duration.plusSeconds(5))
			.untilAsserted(() -> assertThat(this.shop.sneakers().getStatusCode()).isEqualTo(HttpStatus.OK));
		Duration ended = Duration.ofNanos(System.nanoTime() - injected);

		assertThat(ended).isGreaterThanOrEqualTo(duration);
		assertThat(this.registry.get(brief.getId())).isEmpty();
	}

	@Test
	void faultScopedToOneHeaderValueLeavesOtherRequestsAlone() {
		String otherTenant = this.scope + "-other";
		this.chaos.forScope(otherTenant).inject(Fault.error("57P02").sql(CATALOGUE_READ));

		assertDatabaseUnavailable(new ShopClient(this.port).inScope(otherTenant).sneakers());
		assertThat(this.shop.sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(new ShopClient(this.port).sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(new ShopPage(this.shop.page().getBody()).showsOutageNotice()).isFalse();
	}

	private Duration fastest(int tries) {
		Duration fastest = null;
		for (int i = 0; i < tries; i++) {
			Timed<ResponseEntity<JsonNode>> read = Timed.call(this.shop::sneakers);
			assertThat(read.result().getStatusCode()).isEqualTo(HttpStatus.OK);
			fastest = (fastest == null || read.elapsed().compareTo(fastest) < 0) ? read.elapsed() : fastest;
		}
		return fastest;
	}

	private FaultRule rule(FaultHandle handle) {
		return this.registry.get(handle.getId()).orElseThrow();
	}

	private long ordersWithKey(String key) {
		return this.database.queryForLong("SELECT count(*) FROM customer_order WHERE idempotency_key = ?", key);
	}

	private long orderIdOfKey(String key) {
		return this.database.queryForLong("SELECT id FROM customer_order WHERE idempotency_key = ?", key);
	}

	private long stock() {
		return this.database.queryForLong("SELECT quantity FROM stock WHERE sneaker_id = ? AND size = '41'", SAMBA);
	}

	private CircuitBreaker circuitBreaker() {
		return this.circuitBreakers.circuitBreaker(Database.NAME);
	}

	private static String key() {
		return UUID.randomUUID().toString();
	}

}
