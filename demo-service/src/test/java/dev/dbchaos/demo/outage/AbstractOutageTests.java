package dev.dbchaos.demo.outage;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import dev.dbchaos.demo.AbstractShopTests;
import dev.dbchaos.demo.ShopPage;
import dev.dbchaos.demo.Timed;
import dev.dbchaos.demo.database.Database;
import dev.dbchaos.testdatabases.ManagedDatabase;

import static dev.dbchaos.demo.Problems.assertRefusedByOpenCircuit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The steps that an outage of the real server, whatever kind, shares: pages that answer
 * from memory, a release refused fast once the circuit is open, and a release that
 * succeeds once the server is back. Each concrete subclass, one per database, has a
 * server of its own (an {@code OwnPostgres} or {@code OwnMariaDb} on a static field of
 * its own, since one on this class would be closed after the first subclass) and says
 * which it is in {@link #server()}.
 */
abstract class AbstractOutageTests extends AbstractShopTests {

	/** A sneaker the seed has not released yet. */
	static final long UNRELEASED = 1;

	@Autowired
	private Database database;

	/**
	 * Return the server this class stops or freezes.
	 * @return the server
	 */
	abstract ManagedDatabase server();

	/**
	 * Reload the page and assert that it came sooner than Hikari's 2s connection timeout:
	 * rendered from memory, never waiting for a connection.
	 * @return the page
	 */
	ShopPage reloadWithoutWaiting() {
		Timed<ResponseEntity<String>> reload = Timed.call(shop()::page);
		assertThat(reload.result().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(reload.elapsed()).isLessThan(Duration.ofSeconds(2));
		return new ShopPage(reload.result().getBody());
	}

	/**
	 * Await the open circuit, then assert that a release is refused without waiting for a
	 * connection (sooner than Hikari's 2s connection timeout, which it spares the caller)
	 * and that the page still shows the sneaker as coming soon.
	 * @param circuitOpensWithin how long the circuit may take to open
	 */
	void assertReleaseRefusedFastOnceTheCircuitIsOpen(Duration circuitOpensWithin) {
		await().atMost(circuitOpensWithin).until(() -> this.database.circuitState() == CircuitBreaker.State.OPEN);
		Timed<ResponseEntity<JsonNode>> fast = Timed.call(() -> shop().release(UNRELEASED));
		assertRefusedByOpenCircuit(fast.result());
		assertThat(fast.elapsed()).isLessThan(Duration.ofSeconds(2));
		assertThat(page().showsComingSoon(UNRELEASED)).isTrue();
	}

	/**
	 * With the server back, assert that the release succeeds and that what an open page
	 * polls shows it, without a reload. (How soon is the page's polling and the
	 * catalogue's refresh, which a busy machine slows down: not a bound here.)
	 */
	void assertReleaseSucceedsAndOpenPagesShowIt() {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(shop().release(UNRELEASED).getStatusCode()).isEqualTo(HttpStatus.OK));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			ShopPage page = new ShopPage(shop().catalogueFragment().getBody());
			assertThat(page.showsOutageNotice()).isFalse();
			assertThat(page.showsSizeSelector(UNRELEASED)).isTrue();
		});
	}

}
