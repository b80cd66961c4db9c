package dev.dbchaos.demo.confirmation;

import java.time.Duration;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores confirmations in the {@code order_confirmation} outbox table, one per order.
 */
@Repository
public class ConfirmationRepository {

	private final JdbcClient jdbc;

	public ConfirmationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Write the confirmation of an order, unless it is written already: writing it twice
	 * is harmless, which is what makes retrying and sweeping safe.
	 * @param orderId the order
	 * @return whether this call wrote it
	 */
	public boolean confirm(long orderId) {
		return this.jdbc.sql("""
				INSERT INTO order_confirmation (order_id, message)
				SELECT o.id, format('Order %s: %s x %s, size %s. Thank you!', o.id, o.quantity, s.name, o.size)
				FROM customer_order o JOIN sneaker s ON s.id = o.sneaker_id
				WHERE o.id = ?
				ON CONFLICT (order_id) DO NOTHING
				""").param(orderId).update() == 1;
	}

	/**
	 * Return the orders placed longer ago than the given age that still have no
	 * confirmation.
	 * @param olderThan the age
	 * @param limit the most to return
	 * @return the order ids, oldest first
	 */
	public List<Long> findUnconfirmed(Duration olderThan, int limit) {
		return this.jdbc.sql("""
				SELECT o.id FROM customer_order o
				WHERE NOT EXISTS (SELECT 1 FROM order_confirmation c WHERE c.order_id = o.id)
				  AND o.created_at < now() - make_interval(secs => ?)
				ORDER BY o.id LIMIT ?
				""").params(olderThan.toMillis() / 1000.0, limit).query(Long.class).list();
	}

}
