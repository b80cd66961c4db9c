package dev.dbchaos.it.drill;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;

import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.demo.ShopPage;
import dev.dbchaos.demo.Timed;
import dev.dbchaos.it.support.FailureDiagnostics;
import dev.dbchaos.it.support.ShopBounds;
import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.it.support.ShopperBrowser;
import dev.dbchaos.it.support.ShownCatalogue;
import dev.dbchaos.testdatabases.ManagedDatabase;

import static dev.dbchaos.demo.Problems.assertDatabaseUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seed 000, "Break our application like a server", step by step: a shopper waits for
 * sneaker 1 to drop while the database server is really stopped and started again. The
 * shopper is a real headless Chromium that keeps the page open, so the last step proves
 * what the seed asks: the size selector appears without a reload. One subclass per
 * database, each with a server of its own (this scenario stops it).
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(FailureDiagnostics.class)
abstract class AbstractShopDowntimeDrillIT {

	private static final long SNEAKER_1 = 1;

	@LocalServerPort
	private int port;

	/**
	 * Return the server of the subclass's own.
	 * @return the server
	 */
	abstract ManagedDatabase server();

	@Test
	void shopperWaitsForTheDropThroughADatabaseRestartAndSeesItWithoutReloading() {
		ShopClient shop = new ShopClient(this.port);
		ShopDatabase database = new ShopDatabase(server(), server().jdbcUrl());

		// 1. The server starts in a freshly seeded state: sneaker 1 is not released yet.
		assertThat(
				database.queryForLong("SELECT count(*) FROM sneaker WHERE id = ? AND released_at IS NULL", SNEAKER_1))
			.isOne();

		try (ShopperBrowser shopper = ShopperBrowser.open()) {
			// 2. The shopper loads the page, and sees "Coming soon".
			shopper.load(shop.baseUrl() + "/");
			ShownCatalogue before = shopper.view();
			assertThat(before.showsComingSoon(SNEAKER_1)).isTrue();
			assertThat(before.outageNotice()).isFalse();

			// 3. The database goes down.
			server().stop();

			// 4. The shopper refreshes several times: every reload answers at once, never
			// an
			// error, and never shows a release; once the shop notices, it says so.
			for (int reload = 0; reload < 5; reload++) {
				Timed<ResponseEntity<String>> page = Timed.call(shop::page);
				assertThat(page.result().getStatusCode()).isEqualTo(HttpStatus.OK);
				assertThat(page.elapsed()).isLessThan(ShopBounds.PAGE);
				shopper.reload();
				assertThat(shopper.view().showsComingSoon(SNEAKER_1)).isTrue();
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				shopper.reload();
				ShownCatalogue during = shopper.view();
				assertThat(during.outageNotice()).isTrue();
				assertThat(during.showsComingSoon(SNEAKER_1)).isTrue();
			});

			// 5. The admin tries to release sneaker 1: a clear 503, within Hikari's
			// connection
			// timeout (or at once once the circuit breaker is open), and nothing is
			// released.
			Timed<ResponseEntity<JsonNode>> refused = Timed.call(() -> shop.release(SNEAKER_1));
			assertDatabaseUnavailable(refused.result());
			assertThat(refused.elapsed()).isLessThan(ShopBounds.STOPPED);

			// 6. The database comes back; the shop is not restarted.
			server().start();
			assertThat(database.queryForLong("SELECT count(*) FROM sneaker WHERE id = ? AND released_at IS NULL",
					SNEAKER_1))
				.as("the refused release released nothing")
				.isOne();
			shopper.load(shop.baseUrl() + "/");

			// 7. The admin releases sneaker 1 while the shopper watches the page: the
			// release
			// succeeds (once the circuit breaker lets calls through again), and the size
			// selector appears on the open page, from its own polling, without a reload.
			long restarted = System.nanoTime();
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(shop.release(SNEAKER_1).getStatusCode()).isEqualTo(HttpStatus.OK));
			Duration releaseAfterRestart = Duration.ofNanos(System.nanoTime() - restarted);
			long released = System.nanoTime();
			// The page polls /catalogue every second and replaces its catalogue: each
			// check reads
			// the whole page state afresh, in one step (ShopperBrowser.view). How soon is
			// the
			// polling, which a busy machine slows down: not a bound here (it is printed
			// below).
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				ShownCatalogue after = shopper.view();
				assertThat(after.showsSizeSelector(SNEAKER_1)).isTrue();
				assertThat(after.outageNotice()).isFalse();
			});
			Duration selectorAfterRelease = Duration.ofNanos(System.nanoTime() - released);
			assertThat(shopper.wasNeverReloaded()).as("the page was not reloaded").isTrue();
			assertThat(new ShopPage(shop.page().getBody()).showsSizeSelector(SNEAKER_1)).isTrue();
			System.out.printf(
					"Downtime drill: release succeeded %d ms after the database restarted;"
							+ " the open page showed the size selector %d ms after the release%n",
					releaseAfterRestart.toMillis(), selectorAfterRelease.toMillis());
		}
	}

}
