package dev.dbchaos.fault;

/**
 * On whose behalf a JDBC call is made, which decides the rules that may apply to it.
 *
 * @since 0.1.0
 */
public enum CallKind {

	/**
	 * A call of the application, on its thread and in its scope: every rule may apply.
	 */
	APPLICATION(true, true),

	/**
	 * A rollback. A server that can be reached always accepts one, so only faults of the
	 * connection (outage, hang) and latency apply, never errors: an injected error there
	 * would also make a pool hand the connection on with the transaction still open.
	 */
	ROLLBACK(true, false),

	/**
	 * A call a connection pool makes on its own behalf, such as validating a connection
	 * before lending it. Only unscoped rules apply: the pool validates on whichever
	 * thread borrows, and a scoped rule must not break connections the pool is about to
	 * lend to other scopes.
	 */
	POOL_VALIDATION(false, true);

	private final boolean scopedRules;

	private final boolean errors;

	CallKind(boolean scopedRules, boolean errors) {
		this.scopedRules = scopedRules;
		this.errors = errors;
	}

	/**
	 * Return whether rules limited to the calling thread's scope apply to such a call.
	 * @return whether scoped rules apply
	 */
	public boolean seesScopedRules() {
		return this.scopedRules;
	}

	/**
	 * Return whether server errors ({@link FaultType#isError() error types}) apply to
	 * such a call.
	 * @return whether errors apply
	 */
	public boolean seesErrors() {
		return this.errors;
	}

}
