package dev.dbchaos.demo.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import dev.dbchaos.demo.AbstractShopTests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order API on a healthy database: idempotency, stock that never goes below zero, and
 * clear errors. Run on each database by a subclass that registers it: the statements that
 * make orders idempotent and never oversold are spelt per database ({@code SqlDialect}).
 */
abstract class AbstractOrderApiTests extends AbstractShopTests {

	private static final long SAMBA = 3;

	@Test
	void orderIsCreatedAndTakesStock() {
		int before = stock(SAMBA, "40");
		ResponseEntity<JsonNode> response = shop().order(key(), SAMBA, "40", 2);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		JsonNode order = response.getBody();
		assertThat(order.get("sneakerId").asLong()).isEqualTo(SAMBA);
		assertThat(order.get("size").asText()).isEqualTo("40");
		assertThat(order.get("quantity").asInt()).isEqualTo(2);
		assertThat(response.getHeaders().getLocation()).hasToString("/api/orders/" + order.get("id").asLong());
		assertThat(stock(SAMBA, "40")).isEqualTo(before - 2);
		assertThat(shop().getOrder(order.get("id").asLong()).getBody().get("size").asText()).isEqualTo("40");
	}

	@Test
	void sameIdempotencyKeyReturnsTheSameOrderAndBuysOnce() {
		String key = key();
		int before = stock(SAMBA, "41");
		ResponseEntity<JsonNode> first = shop().order(key, SAMBA, "41", 1);
		ResponseEntity<JsonNode> again = shop().order(key, SAMBA, "41", 1);
		assertThat(first.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(again.getBody().get("id")).isEqualTo(first.getBody().get("id"));
		assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(stock(SAMBA, "41")).isEqualTo(before - 1);
		assertThat(ordersWithKey(key)).isOne();
	}

	@Test
	void idempotencyKeyReusedForAnotherOrderIsRefused() {
		String key = key();
		shop().order(key, SAMBA, "42", 1);
		ResponseEntity<JsonNode> other = shop().order(key, SAMBA, "42", 2);
		assertThat(other.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(other.getBody().get("title").asText()).isEqualTo("Idempotency key reused");
	}

	@Test
	void fiftyConcurrentBuyersForTheLastTenPairsGetExactlyTenPairs() throws Exception {
		jdbc().sql("UPDATE stock SET quantity = 10 WHERE sneaker_id = 2 AND size = '43'").update();
		int buyers = 50;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(buyers);
		try {
			List<Future<ResponseEntity<JsonNode>>> results = new ArrayList<>();
			for (int i = 0; i < buyers; i++) {
				Callable<ResponseEntity<JsonNode>> buy = () -> {
					start.await();
					return shop().order(key(), 2, "43", 1);
				};
				results.add(pool.submit(buy));
			}
			start.countDown();
			List<HttpStatus> statuses = new ArrayList<>();
			for (Future<ResponseEntity<JsonNode>> result : results) {
				statuses.add(HttpStatus.valueOf(result.get().getStatusCode().value()));
			}
			assertThat(statuses).filteredOn(HttpStatus.CREATED::equals).hasSize(10);
			assertThat(statuses).filteredOn(HttpStatus.CONFLICT::equals).hasSize(40);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(stock(2, "43")).isZero();
		assertThat(
				jdbc().sql("SELECT coalesce(sum(quantity), 0) FROM customer_order WHERE sneaker_id = 2 AND size = '43'")
					.query(Integer.class)
					.single())
			.isEqualTo(10);
	}

	@Test
	void soldOutSizeIsAConflict() {
		ResponseEntity<JsonNode> response = shop().order(key(), 4, "42", 1);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody().get("title").asText()).isEqualTo("Sold out");
	}

	@Test
	void unreleasedSneakerIsAConflictAndTakesNoStock() {
		int before = stock(1, "42");
		ResponseEntity<JsonNode> response = shop().order(key(), 1, "42", 1);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
		assertThat(response.getBody().get("title").asText()).isEqualTo("Not released");
		assertThat(stock(1, "42")).isEqualTo(before);
	}

	@Test
	void invalidOrdersAreBadRequestsThatSayWhy() {
		ResponseEntity<JsonNode> noQuantity = shop().order(key(), Map.of("sneakerId", 2, "size", "42", "quantity", 0));
		assertThat(noQuantity.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(noQuantity.getBody().get("detail").asText()).contains("quantity");
		assertThat(shop().order(null, 2, "42", 1).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(shop().order(key(), "{not json").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		ResponseEntity<JsonNode> unknownSize = shop().order(key(), 2, "99", 1);
		assertThat(unknownSize.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(unknownSize.getBody().get("title").asText()).isEqualTo("Unknown product");
	}

	@Test
	void unknownOrderIsNotFound() {
		ResponseEntity<JsonNode> response = shop().getOrder(999_999);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(response.getBody().get("detail").asText()).isEqualTo("No order has id 999999");
	}

	@Test
	void confirmationIsWrittenInTheBackground() {
		long id = shop().order(key(), SAMBA, "40", 1).getBody().get("id").asLong();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(shop().getOrder(id).getBody().get("confirmed").asBoolean()).isTrue());
	}

	@Test
	void catalogueListsSneakersWithTheirStock() {
		JsonNode sneakers = shop().sneakers().getBody();
		assertThat(sneakers).hasSizeGreaterThanOrEqualTo(3);
		assertThat(sneakers.get(0).get("id").asLong()).isEqualTo(1);
		assertThat(sneakers.get(0).get("released").asBoolean()).isFalse();
		assertThat(sneakers.get(0).get("sizes").get(0).get("size").asText()).isEqualTo("40");
		assertThat(sneakers.get(0).get("sizes").get(0).get("stock").asInt()).isEqualTo(5);
	}

	private static String key() {
		return UUID.randomUUID().toString();
	}

}
