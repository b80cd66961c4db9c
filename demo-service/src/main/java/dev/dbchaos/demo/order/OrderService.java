package dev.dbchaos.demo.order;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import dev.dbchaos.demo.database.Database;
import dev.dbchaos.demo.database.DatabaseUnavailableException;

/**
 * Places and finds orders.
 */
@Service
public class OrderService {

	private final OrderRepository orders;

	private final StockRepository stock;

	private final Database database;

	private final ApplicationEventPublisher events;

	public OrderService(OrderRepository orders, StockRepository stock, Database database,
			ApplicationEventPublisher events) {
		this.orders = orders;
		this.stock = stock;
		this.database = database;
		this.events = events;
	}

	/**
	 * Place an order once per idempotency key. The order row and the stock decrement
	 * commit together or not at all, which is what makes retrying safe: an attempt whose
	 * commit was lost either left nothing behind or left the order that the next attempt
	 * finds by its key.
	 * @param idempotencyKey the client's key for this purchase
	 * @param request the order
	 * @return the order, new or placed earlier with the same key
	 * @throws OrderRefusedException if the shop refuses the order
	 * @throws DatabaseUnavailableException if the database is away; nothing was bought
	 */
	public PlacedOrder place(String idempotencyKey, OrderRequest request) {
		return this.database.inTransaction("place the order", (status) -> {
			Long id = this.orders.insertUnlessKeyTaken(idempotencyKey, request).orElse(null);
			if (id == null) {
				Order existing = this.orders.findByIdempotencyKey(idempotencyKey)
					.orElseThrow(() -> new UnknownProductException(request));
				if (!existing.matches(request)) {
					throw new IdempotencyKeyReusedException(idempotencyKey, existing);
				}
				return new PlacedOrder(existing, true);
			}
			if (!this.stock.take(request)) {
				// Throwing rolls the order row back with the transaction.
				throw this.stock.whyNotTaken(request);
			}
			this.events.publishEvent(new OrderPlaced(id));
			return new PlacedOrder(this.orders.findById(id).orElseThrow(), false);
		});
	}

	/**
	 * Find an order.
	 * @param id the order id
	 * @return the order
	 * @throws OrderNotFoundException if there is no such order
	 */
	public Order find(long id) {
		return this.database.inTransaction("read the order",
				(status) -> this.orders.findById(id).orElseThrow(() -> new OrderNotFoundException(id)));
	}

}
