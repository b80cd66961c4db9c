package dev.dbchaos.it.fidelity;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
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

import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.client.Fault;
import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.demo.database.Database;
import dev.dbchaos.it.support.FailureDiagnostics;
import dev.dbchaos.it.support.LogCapture;
import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.testdatabases.ManagedDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * For an outage, a hang and a read-only database, the demo is observed twice from the
 * outside, once under the injected fault and once under the real failure (server stopped,
 * server frozen, database switched to read-only with its sessions dropped, as a fail-over
 * to a replica does): the HTTP status, headers that matter and error body of a release
 * and of an order, and what the demo's own loggers said, at which level. The two
 * observations must be equal, or the faults would teach the wrong lessons.
 * <p>
 * One subclass per database, each with a server of its own (this scenario stops and
 * freezes it), says which server it is and how a fail-over to a read-only replica looks
 * there.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(FailureDiagnostics.class)
abstract class AbstractInjectedEqualsRealIT {

	private static final long SNEAKER_1 = 1;

	private static final long SAMBA = 3;

	/**
	 * Whether the circuit breaker was open when a call was refused is timing, not
	 * fidelity.
	 */
	private static final String CIRCUIT_OPEN = " (circuit breaker open)";

	/** The cause chain at the end of the shop's log line for a refused request. */
	private static final String REFUSAL_CAUSE = "^(WARN ApiExceptionHandler: [^:]*): .*$";

	@LocalServerPort
	private int port;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	private ShopClient shop;

	private DbChaosClient chaos;

	private ShopDatabase database;

	/**
	 * Return the server of the subclass's own.
	 * @return the server
	 */
	abstract ManagedDatabase server();

	/**
	 * Make the database read-only, or writable again, as a fail-over to a replica does:
	 * new sessions are read-only, and the old ones are dropped.
	 * @param readOnly whether the database refuses writes
	 * @param database a line to the database beneath the shop's pool
	 */
	abstract void failOver(boolean readOnly, ShopDatabase database);

	@BeforeEach
	void healthyShop() {
		this.shop = new ShopClient(this.port);
		this.chaos = this.shop.chaos();
		this.database = new ShopDatabase(server(), server().jdbcUrl());
		this.database.update("UPDATE stock SET quantity = 1000 WHERE sneaker_id = ?", SAMBA);
	}

	@AfterEach
	void healed() {
		this.chaos.clear();
	}

	@Test
	void injectedOutageLooksToTheShopLikeAStoppedServer() {
		Observation injected = observe(() -> this.chaos.inject(Fault.outage().duration(Duration.ofMinutes(1))),
				this.chaos::clear, true);
		Observation real = observe(server()::stop, server()::start, true);

		assertThat(injected).isEqualTo(real);
		assertThat(real.release().status()).isEqualTo(503);
	}

	@Test
	void injectedHangLooksToTheShopLikeAFrozenServer() {
		Observation injected = observe(() -> this.chaos.inject(Fault.hang().duration(Duration.ofMinutes(1))),
				this.chaos::clear, true);
		Observation real = observe(server()::freeze, server()::thaw, true);

		assertThat(injected).isEqualTo(real);
		assertThat(real.release().status()).isEqualTo(503);
	}

	@Test
	void injectedReadOnlyLooksToTheShopLikeAFailoverToAReadOnlyReplica() {
		Observation injected = observe(() -> this.chaos.inject(Fault.readOnly().duration(Duration.ofMinutes(1))),
				this.chaos::clear, false);
		Observation real = observe(() -> readOnly(true), () -> readOnly(false), false);

		assertThat(injected).isEqualTo(real);
		assertThat(real.order().status()).isEqualTo(503);
		assertThat(real.reads()).isEqualTo(200);
	}

	/**
	 * Break the database, look at the shop from the outside, heal it.
	 * @param breakIt what breaks it
	 * @param heal what heals it
	 * @param readsFail whether the background catalogue refresh fails too, so that its
	 * warning is awaited before the logs are compared
	 */
	private Observation observe(Runnable breakIt, Runnable heal, boolean readsFail) {
		healthy();
		try (LogCapture logs = LogCapture.demo()) {
			breakIt.run();
			if (!readsFail) {
				// Reads go on: what was logged while the sessions were dropped belongs to
				// the
				// fail-over, not to the read-only database that follows it.
				logs.reset();
			}
			try {
				Answer release = Answer.of(this.shop.release(SNEAKER_1));
				Answer order = Answer.of(this.shop.order(UUID.randomUUID().toString(), SAMBA, "41", 1));
				int reads = this.shop.sneakers().getStatusCode().value();
				if (readsFail) {
					await().atMost(Duration.ofSeconds(20)).until(() -> logs.has("WARN", "LastKnownCatalogue"));
				}
				return new Observation(release, order, reads, normalized(logs.lines()));
			}
			finally {
				heal.run();
			}
		}
	}

	/**
	 * Wait for a shop that serves: circuit closed, its window full of successes, so that
	 * each observation starts from the same state.
	 */
	private void healthy() {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.shop.sneakers().getStatusCode()).isEqualTo(HttpStatus.OK));
		circuitFullOfSuccesses();
		// The background refresh has caught up: a failure of the previous observation is
		// not
		// logged as part of this one.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.shop.page().getBody() != null
					&& !this.shop.page().getBody().contains("Live stock is unavailable"));
	}

	/**
	 * Make the database read-only as a fail-over to a replica does, and wait for a shop
	 * that serves again.
	 */
	private void readOnly(boolean readOnly) {
		failOver(readOnly, this.database);
		// The dropped sessions fail the first calls (57P01, 08000), as after any
		// fail-over;
		// compared
		// here is the read-only database once the pool holds only new, read-only
		// sessions.
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.shop.sneakers().getStatusCode()).isEqualTo(HttpStatus.OK));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !this.shop.page().getBody().contains("Live stock is unavailable"));
		// Nor do the failures of the fail-over count in the circuit breaker's window.
		circuitFullOfSuccesses();
	}

	private void circuitFullOfSuccesses() {
		this.circuitBreakers.circuitBreaker(Database.NAME).reset();
		for (int i = 0; i < 6; i++) {
			assertThat(this.shop.sneakers().getStatusCode()).isEqualTo(HttpStatus.OK);
		}
	}

	private static Set<String> normalized(Set<String> lines) {
		Set<String> normalized = new TreeSet<>();
		// A refused request's log line ends with its cause chain, whose pool counters,
		// wait
		// times and whether the breaker had opened yet vary from run to run: compared is
		// what
		// the shop said, not that race (the causes are compared field by field in
		// FidelityIT).
		lines.forEach((line) -> normalized.add(line.replace(CIRCUIT_OPEN, "").replaceFirst(REFUSAL_CAUSE, "$1")));
		return normalized;
	}

	/**
	 * What the shop answered and logged.
	 *
	 * @param release the answer to a release
	 * @param order the answer to an order
	 * @param reads the status of a live catalogue read
	 * @param logs what the demo's loggers said, "LEVEL Logger: message"
	 */
	record Observation(Answer release, Answer order, int reads, Set<String> logs) {
	}

	/**
	 * One HTTP answer, as a client sees it.
	 *
	 * @param status the status
	 * @param contentType the content type
	 * @param retryAfter the Retry-After header
	 * @param title the problem's title
	 * @param detail the problem's detail
	 */
	record Answer(int status, String contentType, String retryAfter, String title, String detail) {

		static Answer of(ResponseEntity<JsonNode> response) {
			JsonNode body = response.getBody();
			return new Answer(response.getStatusCode().value(), String.valueOf(response.getHeaders().getContentType()),
					response.getHeaders().getFirst("Retry-After"), text(body, "title"),
					(text(body, "detail") != null) ? text(body, "detail").replace(CIRCUIT_OPEN, "") : null);
		}

		private static String text(JsonNode body, String field) {
			return (body != null && body.hasNonNull(field)) ? body.get(field).asText() : null;
		}

	}

}
