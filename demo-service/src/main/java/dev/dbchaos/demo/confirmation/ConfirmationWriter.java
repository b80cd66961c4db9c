package dev.dbchaos.demo.confirmation;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dbchaos.demo.order.OrderPlaced;

/**
 * Writes the confirmation of each order in the background once the order has committed,
 * so the buyer never waits for it, retrying with backoff through transient failures (the
 * {@code confirmation} retry). If every attempt fails the order stays unconfirmed in the
 * database, where {@link ConfirmationSweeper} finds it: the committed order is the record
 * that a confirmation is owed, so none is lost, not even across a restart.
 */
@Component
public class ConfirmationWriter {

	/** The name of the retry in the Resilience4j configuration. */
	public static final String RETRY = "confirmation";

	private static final Log logger = LogFactory.getLog(ConfirmationWriter.class);

	private final ConfirmationRepository confirmations;

	private final TransactionTemplate transactions;

	private final Retry retry;

	public ConfirmationWriter(ConfirmationRepository confirmations, TransactionTemplate transactions,
			RetryRegistry retries) {
		this.confirmations = confirmations;
		this.transactions = transactions;
		this.retry = retries.retry(RETRY, RETRY);
	}

	/**
	 * Confirm a committed order, in the background.
	 * @param event the order placed
	 */
	@Async
	@TransactionalEventListener
	public void onOrderPlaced(OrderPlaced event) {
		confirm(event.orderId());
	}

	/**
	 * Confirm an order now, retrying through failures.
	 * @param orderId the order
	 * @return whether the order is confirmed (by this call or an earlier one)
	 */
	public boolean confirm(long orderId) {
		try {
			this.retry.executeRunnable(
					() -> this.transactions.executeWithoutResult((status) -> this.confirmations.confirm(orderId)));
			return true;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not confirm order " + orderId + " (the sweep will): " + ex.getMessage());
			return false;
		}
	}

}
