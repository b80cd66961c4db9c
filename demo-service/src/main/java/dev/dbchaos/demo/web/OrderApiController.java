package dev.dbchaos.demo.web;

import java.net.URI;

import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.dbchaos.demo.order.Order;
import dev.dbchaos.demo.order.OrderRequest;
import dev.dbchaos.demo.order.OrderService;
import dev.dbchaos.demo.order.PlacedOrder;

/**
 * Orders as JSON. {@code POST /api/orders} needs an {@code Idempotency-Key} header: a
 * client that did not get an answer (timeout, 503) sends the same request with the same
 * key again and gets the one order, never a second pair.
 */
@RestController
class OrderApiController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private static final int MAX_KEY_LENGTH = 100;

	private final OrderService orders;

	OrderApiController(OrderService orders) {
		this.orders = orders;
	}

	@PostMapping("/api/orders")
	ResponseEntity<Order> place(@RequestHeader(IDEMPOTENCY_KEY) String idempotencyKey,
			@Valid @RequestBody OrderRequest request) {
		if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_LENGTH + " characters");
		}
		PlacedOrder placed = this.orders.place(idempotencyKey, request);
		// A replay answers exactly as the first request was answered, marked as a replay.
		return ResponseEntity.created(URI.create("/api/orders/" + placed.order().id()))
			.header(REPLAYED, String.valueOf(placed.replayed()))
			.body(placed.order());
	}

	@GetMapping("/api/orders/{id}")
	Order order(@PathVariable long id) {
		return this.orders.find(id);
	}

}
