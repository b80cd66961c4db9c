package dev.dbchaos.jdbc;

/**
 * Tells the calls a connection pool makes on its own behalf (validating a connection
 * before it hands it out, keeping idle ones alive) from the application's. A pool such as
 * HikariCP validates on whichever thread borrows, so that thread's scope says nothing
 * about whom the call is for: a scoped rule must not fail the pool's own check, or one
 * test's fault would evict a connection another test is about to get. Only rules with no
 * scope apply to the pool's calls.
 * <p>
 * The engine knows no pool: whoever puts a {@link ChaosDataSource} beneath one supplies
 * its detector ({@link ChaosDataSource#detectPoolCalls(PoolCallDetector)}), as the Spring
 * Boot starter does for HikariCP.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PoolCallDetector {

	/**
	 * No pool, or one whose own calls are not told apart: every call is the
	 * application's.
	 */
	PoolCallDetector NONE = () -> false;

	/**
	 * Return whether the current call is the pool's own. Only asked while a rule is
	 * active.
	 * @return whether the pool is the caller
	 */
	boolean isPoolCall();

	/**
	 * Detect a pool's own calls by a class of the pool on the calling thread's stack,
	 * within its innermost frames: for HikariCP {@code com.zaxxer.hikari.pool.PoolBase},
	 * which runs validation and keepalive, where the application's calls come through its
	 * {@code ProxyConnection} instead. Walking the stack costs a few microseconds, which
	 * is why it is only done while a rule is active.
	 * @param className the fully qualified name of the pool's class
	 * @return the detector
	 */
	static PoolCallDetector byCallerClass(String className) {
		return new CallerClassDetector(className);
	}

}
