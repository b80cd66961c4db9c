package dev.dbchaos.demo.confirmation;

import java.time.Duration;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.dbchaos.demo.database.SqlDialect;

/**
 * Stores confirmations in the {@code order_confirmation} outbox table, one per order.
 */
@Repository
public class ConfirmationRepository {

	private final JdbcClient jdbc;

	private final String confirm;

	private final String findUnconfirmed;

	public ConfirmationRepository(JdbcClient jdbc, SqlDialect dialect) {
		this.jdbc = jdbc;
		this.confirm = dialect.insertUnlessDuplicate("""
				INSERT INTO order_confirmation (order_id, message)
				SELECT o.id, concat('Order ', o.id, ': ', o.quantity, ' x ', s.name, ', size ', o.size, '. Thank you!')
				FROM customer_order o JOIN sneaker s ON s.id = o.sneaker_id
				WHERE o.id = ?
				""", "order_id");
		this.findUnconfirmed = """
				SELECT o.id FROM customer_order o
				WHERE NOT EXISTS (SELECT 1 FROM order_confirmation c WHERE c.order_id = o.id)
				  AND o.created_at < %s
				ORDER BY o.id LIMIT ?
				""".formatted(dialect.secondsAgo("?"));
	}

	/**
	 * Write the confirmation of an order, unless it is written already: writing it twice
	 * is harmless, which is what makes retrying and sweeping safe.
	 * @param orderId the order
	 * @return whether this call wrote it
	 */
	public boolean confirm(long orderId) {
		return this.jdbc.sql(this.confirm).param(orderId).update() == 1;
	}

	/**
	 * Return the orders placed longer ago than the given age that still have no
	 * confirmation.
	 * @param olderThan the age
	 * @param limit the most to return
	 * @return the order ids, oldest first
	 */
	public List<Long> findUnconfirmed(Duration olderThan, int limit) {
		return this.jdbc.sql(this.findUnconfirmed)
			.params(olderThan.toMillis() / 1000.0, limit)
			.query(Long.class)
			.list();
	}

}
