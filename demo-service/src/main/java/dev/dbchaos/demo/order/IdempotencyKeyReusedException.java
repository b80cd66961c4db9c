package dev.dbchaos.demo.order;

/**
 * An idempotency key already placed a different order.
 */
public class IdempotencyKeyReusedException extends OrderRefusedException {

	/**
	 * Create a new exception.
	 * @param key the key
	 * @param existing the order the key placed
	 */
	public IdempotencyKeyReusedException(String key, Order existing) {
		super("Idempotency-Key '" + key + "' was already used for order " + existing.id()
				+ " with a different sneaker, size or quantity");
	}

}
