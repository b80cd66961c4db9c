package dev.dbchaos.demo.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores orders, in plain SQL.
 */
@Repository
public class OrderRepository {

	private static final String SELECT_ORDER = """
			SELECT o.id, o.sneaker_id, o.size, o.quantity, o.created_at, c.order_id IS NOT NULL AS confirmed
			FROM customer_order o LEFT JOIN order_confirmation c ON c.order_id = o.id
			""";

	private final JdbcClient jdbc;

	public OrderRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Insert an order unless its idempotency key is taken or the sneaker has no such
	 * size. A concurrent insert with the same key waits for the first to commit or roll
	 * back, so exactly one of them places the order.
	 * @param idempotencyKey the key
	 * @param request the order
	 * @return the new order's id, empty if the key was taken or the product does not
	 * exist
	 */
	public Optional<Long> insertUnlessKeyTaken(String idempotencyKey, OrderRequest request) {
		return this.jdbc.sql("""
				INSERT INTO customer_order (idempotency_key, sneaker_id, size, quantity)
				SELECT :key, :sneakerId, :size, :quantity
				WHERE EXISTS (SELECT 1 FROM stock WHERE sneaker_id = :sneakerId AND size = :size)
				ON CONFLICT (idempotency_key) DO NOTHING
				RETURNING id
				""")
			.param("key", idempotencyKey)
			.param("sneakerId", request.sneakerId())
			.param("size", request.size())
			.param("quantity", request.quantity())
			.query(Long.class)
			.optional();
	}

	/**
	 * Find an order by id.
	 * @param id the id
	 * @return the order
	 */
	public Optional<Order> findById(long id) {
		return this.jdbc.sql(SELECT_ORDER + "WHERE o.id = ?").param(id).query(OrderRepository::order).optional();
	}

	/**
	 * Find the order an idempotency key placed.
	 * @param idempotencyKey the key
	 * @return the order
	 */
	public Optional<Order> findByIdempotencyKey(String idempotencyKey) {
		return this.jdbc.sql(SELECT_ORDER + "WHERE o.idempotency_key = ?")
			.param(idempotencyKey)
			.query(OrderRepository::order)
			.optional();
	}

	private static Order order(ResultSet rs, int row) throws SQLException {
		return new Order(rs.getLong("id"), rs.getLong("sneaker_id"), rs.getString("size"), rs.getInt("quantity"),
				rs.getTimestamp("created_at").toInstant(), rs.getBoolean("confirmed"));
	}

}
