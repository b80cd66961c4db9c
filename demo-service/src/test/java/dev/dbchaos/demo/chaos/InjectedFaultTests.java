package dev.dbchaos.demo.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.demo.AbstractShopTests;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.demo.Timed;
import dev.dbchaos.demo.database.Database;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static dev.dbchaos.demo.Problems.assertDatabaseUnavailable;
import static dev.dbchaos.demo.Problems.assertRefusedByOpenCircuit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shop under faults from the starter's {@link FaultRegistry}: what PgJDBC and Hikari
 * would report, injected beneath the pool, on a database that is really fine.
 */
class InjectedFaultTests extends AbstractShopTests {

	private static final long UNRELEASED = 1;

	private static final long SAMBA = 3;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, ManagedPostgres.shared(), "injected_fault_tests");
	}

	@Autowired
	private FaultRegistry faults;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	@Autowired
	private HikariDataSource pool;

	@BeforeEach
	void startFromTheSeed() {
		// One test releases sneaker 1 and others expect it unreleased: each starts from
		// the seed's
		// state, and from a page (and the last known catalogue behind it) that shows it.
		jdbc().sql("UPDATE sneaker SET released_at = NULL WHERE id = ?").param(UNRELEASED).update();
		await().atMost(Duration.ofSeconds(10)).until(() -> page().showsComingSoon(UNRELEASED));
	}

	@AfterEach
	void endFaults() {
		this.faults.clear();
		circuitBreaker().reset();
	}

	@Test
	void outageMakesReleaseFailFastWith503AndReleaseSucceedsOnceItEnds() {
		FaultRule outage = this.faults.add(FaultSpec.builder(FaultType.OUTAGE).build());

		Timed<ResponseEntity<JsonNode>> release = Timed.call(() -> shop().release(UNRELEASED));
		assertDatabaseUnavailable(release.result());
		assertThat(release.elapsed()).isLessThan(Duration.ofSeconds(4));
		await().atMost(Duration.ofSeconds(10)).until(() -> page().showsOutageNotice());
		assertThat(page().showsComingSoon(UNRELEASED)).isTrue();

		this.faults.remove(outage.getId());

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(shop().release(UNRELEASED).getStatusCode()).isEqualTo(HttpStatus.OK));
		// How soon is the catalogue's refresh, which a busy machine slows down: not a
		// bound here.
		await().atMost(Duration.ofSeconds(10)).until(() -> page().showsSizeSelector(UNRELEASED));
	}

	@Test
	void circuitOpensUnderAnOutageAndClosesWhenTheDatabaseIsBack() {
		FaultRule outage = this.faults.add(FaultSpec.builder(FaultType.OUTAGE).build());

		await().atMost(Duration.ofSeconds(30)).until(() -> circuitBreaker().getState() == CircuitBreaker.State.OPEN);
		Timed<ResponseEntity<JsonNode>> open = Timed.call(shop()::sneakers);
		assertRefusedByOpenCircuit(open.result());
		// Without waiting for a connection: sooner than Hikari's 2s connection timeout.
		assertThat(open.elapsed()).isLessThan(Duration.ofSeconds(2));

		this.faults.remove(outage.getId());

		// Nobody needs to call: the background refresh makes the trial calls after 5s
		// open.
		await().atMost(Duration.ofSeconds(20)).until(() -> circuitBreaker().getState() == CircuitBreaker.State.CLOSED);
		assertThat(shop().sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void transientErrorDuringAnOrderIsRetriedAndBuysOnce() {
		FaultRule deadlock = this.faults.add(FaultSpec.builder(FaultType.ERROR)
			.sqlState("40P01")
			.operation(Operation.UPDATE)
			.sql("UPDATE stock")
			.count(1)
			.build());
		int before = stock(SAMBA, "41");
		String key = UUID.randomUUID().toString();

		ResponseEntity<JsonNode> order = shop().order(key, SAMBA, "41", 1);

		assertThat(order.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(deadlock.getInjections()).isOne();
		assertThat(stock(SAMBA, "41")).isEqualTo(before - 1);
		assertThat(ordersWithKey(key)).isOne();
	}

	@Test
	void orderRefusedDuringAnOutageCanBeRetriedWithTheSameKeyAndBuysOnce() {
		int before = stock(SAMBA, "42");
		String key = UUID.randomUUID().toString();
		FaultRule outage = this.faults.add(FaultSpec.builder(FaultType.OUTAGE).build());

		assertDatabaseUnavailable(shop().order(key, SAMBA, "42", 1));
		// The test reads the database through the same faulty pool, so only after the
		// outage. A full outage ends every session, as a real shutdown does: the pool's
		// idle
		// connections died with it, and Hikari finds each on its next validation (after
		// 500 ms idle) or use. Evicted here, so that the read and the retry below are
		// about
		// the order, not about whether they came soon enough to skip that validation.
		this.faults.remove(outage.getId());
		this.pool.getHikariPoolMXBean().softEvictConnections();
		assertThat(ordersWithKey(key)).isZero();
		circuitBreaker().reset();

		ResponseEntity<JsonNode> retried = shop().order(key, SAMBA, "42", 1);
		ResponseEntity<JsonNode> again = shop().order(key, SAMBA, "42", 1);
		assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(again.getBody().get("id")).isEqualTo(retried.getBody().get("id"));
		assertThat(stock(SAMBA, "42")).isEqualTo(before - 1);
		assertThat(ordersWithKey(key)).isOne();
	}

	@Test
	void confirmationIsWrittenAfterTransientErrors() {
		FaultRule serializationFailures = this.faults.add(FaultSpec.builder(FaultType.ERROR)
			.sqlState("40001")
			.operation(Operation.UPDATE)
			.sql("INSERT INTO order_confirmation")
			.count(2)
			.build());

		long id = shop().order(UUID.randomUUID().toString(), SAMBA, "40", 1).getBody().get("id").asLong();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(shop().getOrder(id).getBody().get("confirmed").asBoolean()).isTrue());
		assertThat(serializationFailures.getInjections()).isEqualTo(2);
	}

	@Test
	void readOnlyDatabaseRefusesOrdersWith503AndKeepsServingReads() {
		this.faults.add(FaultSpec.builder(FaultType.READ_ONLY).build());

		assertDatabaseUnavailable(shop().order(UUID.randomUUID().toString(), SAMBA, "40", 1));
		assertThat(shop().sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void actuatorStartsAndEndsAnOutageForTheOpsUserOnly() {
		Map<String, String> outage = Map.of("type", "outage", "duration", "1m");
		ResponseEntity<JsonNode> anonymous = shop().rest()
			.post()
			.uri("/actuator/dbchaos")
			.body(outage)
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.faults.getRules()).isEmpty();

		ResponseEntity<JsonNode> started = shop().rest()
			.post()
			.uri("/actuator/dbchaos")
			.headers((headers) -> headers.setBasicAuth(ShopClient.OPS_USER, ShopClient.OPS_PASSWORD))
			.body(outage)
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(started.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertDatabaseUnavailable(shop().release(UNRELEASED));

		ResponseEntity<Void> ended = shop().rest()
			.delete()
			.uri("/actuator/dbchaos/{id}", started.getBody().get("id").asText())
			.headers((headers) -> headers.setBasicAuth(ShopClient.OPS_USER, ShopClient.OPS_PASSWORD))
			.retrieve()
			.toBodilessEntity();
		assertThat(ended.getStatusCode().is2xxSuccessful()).isTrue();
		assertThat(this.faults.getRules()).isEmpty();
	}

	@Test
	void signedInUserWithoutTheOpsRoleIsForbiddenToChangeFaultsOrRelease() {
		ResponseEntity<String> inject = shop().rest()
			.post()
			.uri("/actuator/dbchaos")
			.headers((headers) -> headers.setBasicAuth("viewer", "viewer"))
			.body(Map.of("type", "outage"))
			.retrieve()
			.toEntity(String.class);
		ResponseEntity<String> clear = shop().rest()
			.delete()
			.uri("/actuator/dbchaos")
			.headers((headers) -> headers.setBasicAuth("viewer", "viewer"))
			.retrieve()
			.toEntity(String.class);
		ResponseEntity<String> release = shop().rest()
			.post()
			.uri("/admin/sneakers/{id}/release", UNRELEASED)
			.headers((headers) -> headers.setBasicAuth("viewer", "viewer"))
			.retrieve()
			.toEntity(String.class);
		assertThat(inject.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(clear.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(release.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(this.faults.getRules()).isEmpty();
		ResponseEntity<String> look = shop().rest()
			.get()
			.uri("/actuator/dbchaos")
			.headers((headers) -> headers.setBasicAuth("viewer", "viewer"))
			.retrieve()
			.toEntity(String.class);
		assertThat(look.getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void crossSiteBrowserRequestCannotStartAnOutageEvenWithCredentials() {
		ResponseEntity<String> forged = shop().rest().post().uri("/actuator/dbchaos").headers((headers) -> {
			headers.setBasicAuth(ShopClient.OPS_USER, ShopClient.OPS_PASSWORD);
			headers.set("Sec-Fetch-Site", "cross-site");
			headers.setOrigin("https://evil.example");
		}).body(Map.of("type", "outage")).retrieve().toEntity(String.class);
		assertThat(forged.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(this.faults.getRules()).isEmpty();
	}

	@Test
	void adminNeedsTheOpsUser() {
		ResponseEntity<String> anonymous = shop().rest()
			.post()
			.uri("/admin/sneakers/{id}/release", UNRELEASED)
			.retrieve()
			.toEntity(String.class);
		assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(shop().rest().get().uri("/admin").retrieve().toEntity(String.class).getStatusCode())
			.isEqualTo(HttpStatus.UNAUTHORIZED);
		ResponseEntity<String> admin = shop().rest()
			.get()
			.uri("/admin")
			.headers((headers) -> headers.setBasicAuth(ShopClient.OPS_USER, ShopClient.OPS_PASSWORD))
			.retrieve()
			.toEntity(String.class);
		assertThat(admin.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(admin.getBody()).contains("data-sneaker-id=\"1\">Release</button>");
	}

	private CircuitBreaker circuitBreaker() {
		return this.circuitBreakers.circuitBreaker(Database.NAME);
	}

}
