package dev.dbchaos.demo.outage;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.demo.ShopPage;
import dev.dbchaos.demo.Timed;
import dev.dbchaos.demo.database.Database;
import dev.dbchaos.testpostgres.OwnPostgres;
import dev.dbchaos.testpostgres.PostgresProperties;

import static dev.dbchaos.demo.Problems.assertDatabaseUnavailable;
import static dev.dbchaos.demo.Problems.assertRefusedByOpenCircuit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scenario of the sneaker drop with the database server really stopped: shoppers keep
 * browsing, the release is refused fast, and succeeds once the server is back, without a
 * restart of the shop.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class StoppedDatabaseTests {

	private static final long UNRELEASED = 1;

	@RegisterExtension
	static final OwnPostgres postgres = new OwnPostgres();

	@LocalServerPort
	private int port;

	@Autowired
	private Database database;

	private ShopClient shop;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		PostgresProperties.register(registry, postgres.server());
	}

	@BeforeEach
	void connect() {
		this.shop = new ShopClient(this.port);
	}

	@Test
	void shopperBrowsesThroughAnOutageAndTheReleaseWaitsForTheDatabase() {
		await().atMost(Duration.ofSeconds(10)).until(() -> !page().showsOutageNotice());
		assertThat(page().showsComingSoon(UNRELEASED)).isTrue();

		postgres.server().stop();

		await().atMost(Duration.ofSeconds(10)).until(() -> page().showsOutageNotice());
		for (int refresh = 0; refresh < 5; refresh++) {
			Timed<ResponseEntity<String>> reload = Timed.call(this.shop::page);
			assertThat(reload.result().getStatusCode()).isEqualTo(HttpStatus.OK);
			// Rendered from memory: sooner than Hikari's 2s connection timeout, never
			// waiting for one.
			assertThat(reload.elapsed()).isLessThan(Duration.ofSeconds(2));
			ShopPage page = new ShopPage(reload.result().getBody());
			assertThat(page.showsOutageNotice()).isTrue();
			assertThat(page.showsComingSoon(UNRELEASED)).isTrue();
		}

		// Before the circuit opens a release waits out Hikari's 2s connection timeout, no
		// more.
		Timed<ResponseEntity<JsonNode>> release = Timed.call(() -> this.shop.release(UNRELEASED));
		assertDatabaseUnavailable(release.result());
		assertThat(release.elapsed()).isLessThan(Duration.ofSeconds(4));
		assertDatabaseUnavailable(this.shop.sneakers());
		// Once the circuit is open, the answer comes without waiting for a connection:
		// sooner
		// than Hikari's 2s connection timeout, which it spares the caller.
		await().atMost(Duration.ofSeconds(30)).until(() -> this.database.circuitState() == CircuitBreaker.State.OPEN);
		Timed<ResponseEntity<JsonNode>> fast = Timed.call(() -> this.shop.release(UNRELEASED));
		assertRefusedByOpenCircuit(fast.result());
		assertThat(fast.elapsed()).isLessThan(Duration.ofSeconds(2));
		assertThat(page().showsComingSoon(UNRELEASED)).isTrue();

		postgres.server().start();

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.shop.release(UNRELEASED).getStatusCode()).isEqualTo(HttpStatus.OK));
		// What an open page polls shows the release, without a reload. (How soon is the
		// page's
		// polling and the catalogue's refresh, which a busy machine slows down: not a
		// bound here.)
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			ShopPage page = new ShopPage(this.shop.catalogueFragment().getBody());
			assertThat(page.showsOutageNotice()).isFalse();
			assertThat(page.showsSizeSelector(UNRELEASED)).isTrue();
		});
	}

	@Test
	void livenessIgnoresTheDatabaseAndReadinessDoesNot() {
		postgres.server().stop();
		try {
			assertThat(health("liveness").getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(health("readiness").getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		}
		finally {
			postgres.server().start();
		}
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(health("readiness").getStatusCode()).isEqualTo(HttpStatus.OK));
	}

	private ResponseEntity<String> health(String probe) {
		return this.shop.rest().get().uri("/actuator/health/{probe}", probe).retrieve().toEntity(String.class);
	}

	private ShopPage page() {
		return new ShopPage(this.shop.page().getBody());
	}

}
