package dev.dbchaos.experiment;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Observes an experiment's checks through {@link Scheduler#observe}, waiting for their
 * answers a bounded time. A check that answers slowly, such as a health check whose
 * database connection waits out the pool's timeout during an outage, then holds back
 * neither the experiment's steps nor its other checks: its answer is taken at the first
 * check interval after it came. A check has one observation in flight at a time.
 * <p>
 * Not thread-safe: an experiment uses it under its own lock.
 */
final class Observer {

	private final Scheduler scheduler;

	private final Map<Check, CompletableFuture<Observation>> inFlight = new HashMap<>();

	Observer(Scheduler scheduler) {
		this.scheduler = scheduler;
	}

	/**
	 * Observe checks, each unless an observation of it is still in flight, and return the
	 * answers that came within the budget. A check that threw does not hold; its value is
	 * the error.
	 * @param checks the checks
	 * @param budget how long to wait for the answers, all together
	 * @return the answers, without the checks still being observed
	 */
	Map<Check, Observation> observe(Collection<Check> checks, Duration budget) {
		for (Check check : checks) {
			this.inFlight.computeIfAbsent(check, this.scheduler::observe);
		}
		long deadline = System.nanoTime() + budget.toNanos();
		Map<Check, Observation> answers = new LinkedHashMap<>();
		for (Check check : checks) {
			CompletableFuture<Observation> observation = this.inFlight.get(check);
			try {
				answers.put(check, observation.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS));
				this.inFlight.remove(check);
			}
			catch (TimeoutException ex) {
				// Still observing: taken at a later interval.
			}
			catch (ExecutionException ex) {
				answers.put(check, new Observation(false, "error: " + ex.getCause()));
				this.inFlight.remove(check);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return answers;
	}

}
