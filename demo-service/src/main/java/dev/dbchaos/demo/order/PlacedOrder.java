package dev.dbchaos.demo.order;

/**
 * The outcome of placing an order.
 *
 * @param order the order
 * @param replayed whether an earlier request with the same idempotency key had placed it
 */
public record PlacedOrder(Order order, boolean replayed) {

}
