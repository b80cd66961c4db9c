package dev.dbchaos.demo.outage;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import dev.dbchaos.demo.Timed;

import static dev.dbchaos.demo.Problems.assertDatabaseUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sneaker drop with the database server frozen (SIGSTOP): connections stay open but
 * nothing ever answers, so only timeouts help. Pages must not notice, the release must
 * not hang.
 */
abstract class AbstractFrozenDatabaseTests extends AbstractOutageTests {

	@Test
	void pagesAnswerWithoutWaitingForTheDatabaseAndTheReleaseNeverHangsWhileItIsFrozen() {
		await().atMost(Duration.ofSeconds(10)).until(() -> !page().showsOutageNotice());

		server().freeze();

		for (int refresh = 0; refresh < 3; refresh++) {
			assertThat(reloadWithoutWaiting().showsComingSoon(UNRELEASED)).isTrue();
		}
		// A hung read is neither a success nor a failure for seconds: the page goes
		// stale.
		await().atMost(Duration.ofSeconds(10)).until(() -> page().showsOutageNotice());

		// At worst the release waits out the driver's 5s socketTimeout, never longer.
		Timed<ResponseEntity<JsonNode>> release = Timed.call(() -> shop().release(UNRELEASED));
		assertDatabaseUnavailable(release.result());
		assertThat(release.elapsed()).isLessThan(Duration.ofSeconds(7));
		assertReleaseRefusedFastOnceTheCircuitIsOpen(Duration.ofSeconds(40));

		server().thaw();

		assertReleaseSucceedsAndOpenPagesShowIt();
	}

}
