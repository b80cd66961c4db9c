package dev.dbchaos.jdbc;

/**
 * Tells the calls a connection pool makes on its own behalf from the application's. HikariCP
 * validates a connection on whichever thread borrows it, so the thread's scope says nothing
 * about whom the call is for; the caller's class does.
 *
 * @author dbchaos
 */
final class PoolCalls {

	private static final StackWalker walker = StackWalker.getInstance();

	// HikariCP's PoolBase runs validation and keepalive; application calls come through its
	// ProxyConnection instead.
	private static final String HIKARI_POOL_BASE = "com.zaxxer.hikari.pool.PoolBase";

	private static final int MAX_DEPTH = 16;

	private PoolCalls() {
	}

	/**
	 * Return whether the current call is the pool validating a connection. Only asked while a
	 * rule is active, as walking the stack costs a few microseconds.
	 * @return whether the pool is the caller
	 */
	static boolean isPoolValidation() {
		return walker.walk((frames) -> frames.limit(MAX_DEPTH)
			.anyMatch((frame) -> frame.getClassName().equals(HIKARI_POOL_BASE)));
	}

}
