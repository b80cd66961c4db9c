package dev.dbchaos.testdatabases;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline. Every wait in this module goes through here so
 * that nothing depends on a guessed sleep being long enough.
 */
final class Poll {

	private static final long INTERVAL_MILLIS = 25;

	private Poll() {
	}

	/**
	 * Block until the condition holds.
	 * @param description what is awaited, completing "timed out waiting until ..."
	 * @param timeout how long to wait at most
	 * @param condition the condition to check
	 * @throws IllegalStateException if the condition does not hold in time
	 */
	static void until(String description, Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(
						"Timed out after " + timeout.toMillis() + " ms waiting until " + description);
			}
			pause();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(INTERVAL_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting", ex);
		}
	}

}
