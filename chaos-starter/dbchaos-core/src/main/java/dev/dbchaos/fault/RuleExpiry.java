package dev.dbchaos.fault;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The thread that ends rules when their time is up: one sweep of the registry scheduled
 * for the very instant each rule expires, so that no JDBC call has to read the clock to
 * find the rules it cannot see expired.
 */
final class RuleExpiry implements AutoCloseable {

	private final ScheduledExecutorService scheduler;

	private final Runnable sweep;

	/**
	 * Create the expiry thread of a registry.
	 * @param sweep ends the rules whose time is up
	 */
	RuleExpiry(Runnable sweep) {
		this.scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "dbchaos-expiry");
			thread.setDaemon(true);
			return thread;
		});
		this.sweep = sweep;
	}

	/**
	 * Sweep once the given time has passed.
	 * @param delay how long from now
	 */
	void sweepAfter(Duration delay) {
		this.scheduler.schedule(this.sweep, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
