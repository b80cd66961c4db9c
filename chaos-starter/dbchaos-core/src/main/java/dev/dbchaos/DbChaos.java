package dev.dbchaos;

import java.time.Duration;

/**
 * Entry points for tests that run in a dbchaos scope.
 *
 * @since 0.1.0
 */
public final class DbChaos {

	private DbChaos() {
	}

	/**
	 * Wait until all work started under a scope has finished: the requests bound to it,
	 * the tasks they submitted to decorated executors (including {@code @Async} methods),
	 * and any code still inside {@link DbChaosScope#bind(String)}. Call it before
	 * asserting on what background work did, and before cleaning up after a test.
	 * @param scope the scope
	 * @param timeout how long to wait at most
	 * @return {@code true} if the scope fell quiet, {@code false} if the timeout elapsed
	 * first
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public static boolean awaitQuiescence(String scope, Duration timeout) throws InterruptedException {
		return ScopeActivity.awaitQuiescence(scope, timeout);
	}

	/**
	 * Return how much work is in flight under a scope right now.
	 * @param scope the scope
	 * @return the count
	 */
	public static int inFlight(String scope) {
		return ScopeActivity.inFlight(scope);
	}

}
