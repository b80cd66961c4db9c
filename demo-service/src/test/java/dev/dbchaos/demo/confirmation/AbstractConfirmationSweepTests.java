package dev.dbchaos.demo.confirmation;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;

import dev.dbchaos.demo.AbstractShopTests;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A confirmation whose background task used up every retry is still written, by the
 * sweep. The retry and the sweep are shortened here so that the test takes seconds, not
 * minutes. Run on each database by a subclass that registers it: the idempotent insert
 * and the sweep's "older than" are spelt per database ({@code SqlDialect}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "resilience4j.retry.instances.confirmation.max-attempts=2",
				"resilience4j.retry.instances.confirmation.wait-duration=100ms", "demo.confirmation.sweep-after=1s",
				"demo.confirmation.sweep-interval=500ms" })
abstract class AbstractConfirmationSweepTests extends AbstractShopTests {

	@Autowired
	private FaultRegistry faults;

	@AfterEach
	void endFaults() {
		this.faults.clear();
	}

	@Test
	void confirmationIsWrittenEvenWhenTheBackgroundTaskGivesUp() {
		ShopClient shop = shop();
		// Fails both attempts of the background task; the sweep's own write is the third.
		FaultRule failures = this.faults.add(FaultSpec.builder(FaultType.ERROR)
			.sqlState("08006")
			.operation(Operation.UPDATE)
			// Both spellings: INSERT INTO (PostgreSQL), INSERT IGNORE INTO (MariaDB).
			.sql("INTO order_confirmation")
			.count(2)
			.build());

		var placed = shop.order(UUID.randomUUID().toString(), 3, "40", 1);
		assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		long id = placed.getBody().get("id").asLong();

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(shop.getOrder(id).getBody().get("confirmed").asBoolean()).isTrue());
		assertThat(failures.getInjections()).isEqualTo(2);
	}

}
