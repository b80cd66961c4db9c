package dev.dbchaos;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Counts the work in flight under each scope: threads bound to it (requests, tasks, code
 * inside {@link DbChaosScope#bind(String)}) and tasks submitted under it that have not
 * finished yet. A test waits until its scope's count is zero before it asserts or cleans
 * up, instead of sleeping.
 * <p>
 * Whoever keeps state per scope can be told when a scope falls quiet
 * ({@link #onQuiet(Consumer)}), to let that state go.
 *
 * @since 0.1.0
 * @see DbChaos#awaitQuiescence(String, Duration)
 */
public final class ScopeActivity {

	private static final Logger logger = System.getLogger("dev.dbchaos");

	private static final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

	private static final List<Consumer<String>> quietListeners = new CopyOnWriteArrayList<>();

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

	/**
	 * Be told whenever a scope falls quiet, that is when the last unit of work in flight
	 * under it ends, until the returned registration is closed. The listener is called
	 * with the scope on the thread that ended that work, after
	 * {@link DbChaos#awaitQuiescence waiters} have been woken; it must be quick. New work
	 * may begin under the scope at any moment, so a listener that lets state of the scope
	 * go should check {@link #inFlight(String)} first (under a lock of its own that also
	 * guards creating that state). A listener that throws is logged (logger
	 * {@code dev.dbchaos}) and otherwise ignored.
	 * @param listener called with each scope that falls quiet
	 * @return the registration, which removes the listener when closed
	 */
	public static Registration onQuiet(Consumer<String> listener) {
		quietListeners.add(listener);
		return Registration.of(() -> quietListeners.remove(listener));
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
			for (Consumer<String> listener : quietListeners) {
				try {
					listener.accept(scope);
				}
				catch (VirtualMachineError ex) {
					throw ex;
				}
				catch (Throwable ex) {
					logger.log(Level.WARNING,
							"dbchaos scope listener " + listener + " failed for scope '" + scope + "'; ignored", ex);
				}
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
