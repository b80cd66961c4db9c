package dev.dbchaos.it.faults;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.dbchaos.demo.database.Database;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.it.support.FailureDiagnostics;
import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.testdatabases.ManagedPostgres;
import dev.dbchaos.testdatabases.PostgresProperties;

import static dev.dbchaos.demo.Problems.assertDatabaseUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faults that lose a connection in the middle of a call, injected over HTTP through
 * {@code /actuator/dbchaos} as an operator would: an {@code ambiguous-commit}, whose
 * commit is applied but whose reply never comes, and a {@code result-reset}, whose rows
 * break off. What the shop's data holds afterwards is read directly from PostgreSQL,
 * beneath the fault proxy.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(FailureDiagnostics.class)
class LostRepliesOverHttpIT {

	private static final long SAMBA = 3;

	private static final String SIZE = "42";

	/** The statement of every catalogue read. */
	private static final String CATALOGUE_READ = "FROM sneaker s LEFT JOIN stock";

	/** Shared with other classes that only inject faults: nothing here stops it. */
	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final String DATABASE = "lost_replies_over_http_it";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		PostgresProperties.register(registry, postgres, DATABASE);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private FaultRegistry registry;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	private String scope;

	/** This test's requests, in this test's scope. */
	private ShopClient shop;

	private DbChaosClient chaos;

	private ShopDatabase database;

	@BeforeEach
	void shopInScope() {
		this.scope = "it-" + UUID.randomUUID().toString().substring(0, 8);
		this.shop = new ShopClient(this.port).inScope(this.scope);
		this.chaos = this.shop.chaos();
		this.database = new ShopDatabase(postgres, postgres.createDatabase(DATABASE));
		this.database.update("UPDATE stock SET quantity = 1000 WHERE sneaker_id = ?", SAMBA);
		// A shop that has been serving (see InjectedFaultsOverHttpIT): the breaker's
		// window full of successes, so that one failed request cannot open it.
		circuitBreaker().reset();
		for (int i = 0; i < 6; i++) {
			assertThat(new ShopClient(this.port).sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
		}
	}

	@AfterEach
	void endFaultsAndWaitForBackgroundWork() {
		this.chaos.clear();
		this.chaos.awaitQuiescence(this.scope, Duration.ofSeconds(30));
		circuitBreaker().reset();
	}

	@Test
	void orderWhoseCommitReplyWasLostIsA503AndTheSameKeyAnswersTheOriginalOrderWithStockTakenOnce() {
		long stockBefore = stock();
		String key = UUID.randomUUID().toString();
		FaultHandle lostReply = this.chaos
			.inject(Fault.ambiguousCommit().operation("commit").scope(this.scope).count(1));

		ResponseEntity<JsonNode> first = this.shop.order(key, SAMBA, SIZE, 1);

		assertDatabaseUnavailable(first);
		assertThat(this.registry.get(lostReply.getId())).as("the commit's reply was lost, once").isEmpty();
		assertThat(ordersWithKey(key)).as("the order was committed all the same").isOne();
		assertThat(stock()).isEqualTo(stockBefore - 1);

		ResponseEntity<JsonNode> again = this.shop.order(key, SAMBA, SIZE, 1);

		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(again.getBody().get("id").asLong()).isEqualTo(orderIdOfKey(key));
		assertThat(ordersWithKey(key)).as("never a second order").isOne();
		assertThat(stock()).as("stock taken exactly once").isEqualTo(stockBefore - 1);
	}

	@Test
	void orderWhoseCommitRepliesAreLostOnEveryAttemptIsA503AndTheRetryAfterwardsFindsIt() {
		long stockBefore = stock();
		String key = UUID.randomUUID().toString();
		FaultHandle lostReplies = this.chaos.inject(Fault.ambiguousCommit().scope(this.scope));

		assertDatabaseUnavailable(this.shop.order(key, SAMBA, SIZE, 1));
		assertDatabaseUnavailable(this.shop.order(key, SAMBA, SIZE, 1));
		lostReplies.close();

		ResponseEntity<JsonNode> afterwards = this.shop.order(key, SAMBA, SIZE, 1);

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

	private long stock() {
		return this.database.queryForLong("SELECT quantity FROM stock WHERE sneaker_id = ? AND size = ?", SAMBA, SIZE);
	}

	private long ordersWithKey(String key) {
		return this.database.queryForLong("SELECT count(*) FROM customer_order WHERE idempotency_key = ?", key);
	}

	private long orderIdOfKey(String key) {
		return this.database.queryForLong("SELECT id FROM customer_order WHERE idempotency_key = ?", key);
	}

	private CircuitBreaker circuitBreaker() {
		return this.circuitBreakers.circuitBreaker(Database.NAME);
	}

}
