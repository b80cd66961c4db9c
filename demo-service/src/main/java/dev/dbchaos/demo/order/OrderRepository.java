package dev.dbchaos.demo.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import dev.dbchaos.demo.database.SqlDialect;

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

	private final String insertUnlessKeyTaken;

	public OrderRepository(JdbcClient jdbc, SqlDialect dialect) {
		this.jdbc = jdbc;
		// Selected from the stock row it refers to: no row when the sneaker has no such
		// size, and never a row that breaks the foreign key (see
		// SqlDialect#insertUnlessDuplicate). StockRepository#take updates that row next.
		this.insertUnlessKeyTaken = dialect.insertUnlessDuplicate("""
				INSERT INTO customer_order (idempotency_key, sneaker_id, size, quantity)
				SELECT :key, sneaker_id, size, :quantity FROM stock WHERE sneaker_id = :sneakerId AND size = :size
				%s
				""".formatted(dialect.lockReferencedRow()), "idempotency_key");
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
		// The generated key, not RETURNING, which MySQL lacks; PgJDBC asks for it with
		// RETURNING, MariaDB Connector/J reads it from the server's answer.
		KeyHolder id = new GeneratedKeyHolder();
		int inserted = this.jdbc.sql(this.insertUnlessKeyTaken)
			.param("key", idempotencyKey)
			.param("sneakerId", request.sneakerId())
			.param("size", request.size())
			.param("quantity", request.quantity())
			.update(id, "id");
		return (inserted == 1) ? Optional.of(id.getKeyAs(Number.class).longValue()) : Optional.empty();
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
