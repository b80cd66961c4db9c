package dev.dbchaos.demo.outage;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import dev.dbchaos.demo.ShopPage;
import dev.dbchaos.demo.Timed;

import static dev.dbchaos.demo.Problems.assertDatabaseUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scenario of the sneaker drop with the database server really stopped: shoppers keep
 * browsing, the release is refused fast, and succeeds once the server is back, without a
 * restart of the shop.
 */
abstract class AbstractStoppedDatabaseTests extends AbstractOutageTests {

	@Test
	void shopperBrowsesThroughAnOutageAndTheReleaseWaitsForTheDatabase() {
		await().atMost(Duration.ofSeconds(10)).until(() -> !page().showsOutageNotice());
		assertThat(page().showsComingSoon(UNRELEASED)).isTrue();

		server().stop();

		await().atMost(Duration.ofSeconds(10)).until(() -> page().showsOutageNotice());
		for (int refresh = 0; refresh < 5; refresh++) {
			ShopPage page = reloadWithoutWaiting();
			assertThat(page.showsOutageNotice()).isTrue();
			assertThat(page.showsComingSoon(UNRELEASED)).isTrue();
		}

		// Before the circuit opens a release waits out Hikari's 2s connection timeout, no
		// more.
		Timed<ResponseEntity<JsonNode>> release = Timed.call(() -> shop().release(UNRELEASED));
		assertDatabaseUnavailable(release.result());
		assertThat(release.elapsed()).isLessThan(Duration.ofSeconds(4));
		assertDatabaseUnavailable(shop().sneakers());
		assertReleaseRefusedFastOnceTheCircuitIsOpen(Duration.ofSeconds(30));

		server().start();

		assertReleaseSucceedsAndOpenPagesShowIt();
	}

	@Test
	void livenessIgnoresTheDatabaseAndReadinessDoesNot() {
		server().stop();
		try {
			assertThat(health("liveness").getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(health("readiness").getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		}
		finally {
			server().start();
		}
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(health("readiness").getStatusCode()).isEqualTo(HttpStatus.OK));
	}

	private ResponseEntity<String> health(String probe) {
		return shop().rest().get().uri("/actuator/health/{probe}", probe).retrieve().toEntity(String.class);
	}

}
