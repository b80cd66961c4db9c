package dev.dbchaos.demo.confirmation;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Writes the confirmations that the background task gave up on: every committed order
 * without one, once it is older than {@code demo.confirmation.sweep-after}.
 */
@Component
public class ConfirmationSweeper {

	private static final Log logger = LogFactory.getLog(ConfirmationSweeper.class);

	private static final int BATCH = 100;

	private final ConfirmationRepository confirmations;

	private final ConfirmationWriter writer;

	private final Duration sweepAfter;

	public ConfirmationSweeper(ConfirmationRepository confirmations, ConfirmationWriter writer,
			ConfirmationProperties properties) {
		this.confirmations = confirmations;
		this.writer = writer;
		this.sweepAfter = properties.getSweepAfter();
	}

	/**
	 * Confirm the orders left unconfirmed. A database that is still away fails the sweep
	 * quietly; the next one tries again.
	 */
	@Scheduled(fixedDelayString = "${demo.confirmation.sweep-interval:5s}")
	public void sweep() {
		try {
			for (long orderId : this.confirmations.findUnconfirmed(this.sweepAfter, BATCH)) {
				if (this.writer.confirm(orderId)) {
					logger.info("Swept up the confirmation of order " + orderId);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Confirmation sweep failed, will try again: " + ex.getMessage());
		}
	}

}
