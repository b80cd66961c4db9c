package dev.dbchaos.demo.order;

/**
 * Published inside the transaction that placed an order; listeners that want the
 * committed order use {@code @TransactionalEventListener}.
 *
 * @param orderId the order id
 */
public record OrderPlaced(long orderId) {

}
