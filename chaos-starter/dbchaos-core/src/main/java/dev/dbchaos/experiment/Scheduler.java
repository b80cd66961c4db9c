package dev.dbchaos.experiment;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

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
	 * Observe a check, which may take long (a health check that waits for a database
	 * connection), without holding back the experiment's other tasks. By default on the
	 * calling thread, which suits a test's manual scheduler.
	 * @param check the check
	 * @return its answer, once it came
	 */
	default CompletableFuture<Observation> observe(Check check) {
		try {
			return CompletableFuture.completedFuture(check.observe());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Return a scheduler backed by an executor.
	 * @param executor the executor
	 * @return the scheduler
	 */
	static Scheduler of(ScheduledExecutorService executor) {
		return of(executor, null);
	}

	/**
	 * Return a scheduler backed by an executor, observing checks on others.
	 * @param executor the executor of the steps and check intervals
	 * @param observers the executor of the checks' observations, {@code null} to observe
	 * on the executor's own thread
	 * @return the scheduler
	 */
	static Scheduler of(ScheduledExecutorService executor, @Nullable Executor observers) {
		return new Scheduler() {

			@Override
			public CompletableFuture<Observation> observe(Check check) {
				return (observers != null) ? CompletableFuture.supplyAsync(check::observe, observers)
						: Scheduler.super.observe(check);
			}

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
