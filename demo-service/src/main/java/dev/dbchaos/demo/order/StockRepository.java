package dev.dbchaos.demo.order;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Takes pairs out of stock.
 */
@Repository
public class StockRepository {

	private final JdbcClient jdbc;

	public StockRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Take pairs out of stock if the sneaker is released and enough are left. One
	 * statement checks and decrements, and the row lock it takes makes concurrent buyers
	 * queue on it and re-check the quantity, so stock never goes below zero; the table's
	 * check constraint is the second line of defence.
	 * @param request the order
	 * @return whether the pairs were taken
	 */
	public boolean take(OrderRequest request) {
		return this.jdbc.sql("""
				UPDATE stock SET quantity = quantity - :quantity
				WHERE sneaker_id = :sneakerId AND size = :size AND quantity >= :quantity
				  AND EXISTS (SELECT 1 FROM sneaker WHERE id = :sneakerId AND released_at IS NOT NULL)
				""")
			.param("quantity", request.quantity())
			.param("sneakerId", request.sneakerId())
			.param("size", request.size())
			.update() == 1;
	}

	/**
	 * Explain why {@link #take(OrderRequest)} took nothing.
	 * @param request the order
	 * @return the reason
	 */
	public OrderRefusedException whyNotTaken(OrderRequest request) {
		Optional<Boolean> released = this.jdbc.sql("""
				SELECT s.released_at IS NOT NULL FROM sneaker s JOIN stock st ON st.sneaker_id = s.id
				WHERE s.id = ? AND st.size = ?
				""").params(request.sneakerId(), request.size()).query(Boolean.class).optional();
		if (released.isEmpty()) {
			return new UnknownProductException(request);
		}
		return released.get() ? new SoldOutException(request) : new NotReleasedException(request);
	}

}
