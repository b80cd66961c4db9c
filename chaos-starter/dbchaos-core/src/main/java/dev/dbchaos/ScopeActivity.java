package dev.dbchaos;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the work in flight under each scope: threads bound to it (requests, tasks, code inside
 * {@link DbChaosScope#bind(String)}) and tasks submitted under it that have not finished yet. A
 * test waits until its scope's count is zero before it asserts or cleans up, instead of sleeping.
 *
 * @author dbchaos
 * @see DbChaos#awaitQuiescence(String, Duration)
 */
public final class ScopeActivity {

	private static final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

	// Waiters re-check their scope whenever any scope falls quiet.
	private static final Object quiet = new Object();

	private ScopeActivity() {
	}

	/**
	 * Count one unit of work under a scope until {@link Work#end()} is called.
	 * @param scope the scope
	 * @return the work, to end exactly once (further calls do nothing)
	 */
	public static Work begin(String scope) {
		inFlight.merge(scope, 1, Integer::sum);
		return new Work(scope);
	}

	/**
	 * Return how much work is in flight under a scope.
	 * @param scope the scope
	 * @return the count, zero when the scope is quiet
	 */
	public static int inFlight(String scope) {
		return inFlight.getOrDefault(scope, 0);
	}

	static boolean awaitQuiescence(String scope, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (quiet) {
			while (inFlight(scope) > 0) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				quiet.wait(Math.max(1, remaining / 1_000_000));
			}
			return true;
		}
	}

	private static void end(String scope) {
		Integer left = inFlight.computeIfPresent(scope, (key, count) -> (count > 1) ? count - 1 : null);
		if (left == null) {
			synchronized (quiet) {
				quiet.notifyAll();
			}
		}
	}

	/**
	 * One unit of work counted under a scope.
	 */
	public static final class Work {

		private final String scope;

		private final AtomicBoolean ended = new AtomicBoolean();

		private Work(String scope) {
			this.scope = scope;
		}

		/**
		 * Stop counting this work.
		 */
		public void end() {
			if (this.ended.compareAndSet(false, true)) {
				ScopeActivity.end(this.scope);
			}
		}

	}

}
