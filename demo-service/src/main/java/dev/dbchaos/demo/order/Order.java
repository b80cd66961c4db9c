package dev.dbchaos.demo.order;

import java.time.Instant;

/**
 * A placed order.
 *
 * @param id the id
 * @param sneakerId the sneaker bought
 * @param size the size bought
 * @param quantity how many pairs
 * @param createdAt when the order was placed
 * @param confirmed whether the confirmation has been written
 */
public record Order(long id, long sneakerId, String size, int quantity, Instant createdAt, boolean confirmed) {

	/**
	 * Return whether this order is what the given request asks for, which is what makes a
	 * repeated request with the same idempotency key a replay rather than a different
	 * order.
	 * @param request the request
	 * @return whether the request matches
	 */
	public boolean matches(OrderRequest request) {
		return this.sneakerId == request.sneakerId() && this.size.equals(request.size())
				&& this.quantity == request.quantity();
	}

}
