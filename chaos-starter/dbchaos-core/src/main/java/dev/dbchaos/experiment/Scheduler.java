package dev.dbchaos.experiment;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs an experiment's steps and checks later. Tasks of one scheduler may run on any
 * thread; an experiment serializes them itself.
 *
 * @since 0.1.0
 */
public interface Scheduler {

	/**
	 * Run a task once after a delay.
	 * @param task the task
	 * @param delay how long from now
	 * @return what cancels it
	 */
	Runnable schedule(Runnable task, Duration delay);

	/**
	 * Run a task after each period, until cancelled.
	 * @param task the task
	 * @param period the time between runs; the first run is one period from now
	 * @return what cancels it
	 */
	Runnable scheduleRepeatedly(Runnable task, Duration period);

	/**
	 * Return a scheduler backed by an executor.
	 * @param executor the executor
	 * @return the scheduler
	 */
	static Scheduler of(ScheduledExecutorService executor) {
		return new Scheduler() {

			@Override
			public Runnable schedule(Runnable task, Duration delay) {
				var future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
				return () -> future.cancel(false);
			}

			@Override
			public Runnable scheduleRepeatedly(Runnable task, Duration period) {
				var future = executor.scheduleAtFixedRate(task, period.toNanos(), period.toNanos(),
						TimeUnit.NANOSECONDS);
				return () -> future.cancel(false);
			}

		};
	}

}
