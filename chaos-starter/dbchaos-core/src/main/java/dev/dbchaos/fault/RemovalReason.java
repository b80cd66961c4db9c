package dev.dbchaos.fault;

/**
 * Why a fault rule ended.
 *
 * @since 0.1.0
 */
public enum RemovalReason {

	/**
	 * Removed on request.
	 */
	REMOVED,

	/**
	 * Its duration elapsed.
	 */
	EXPIRED,

	/**
	 * It injected as many times as its {@code count} allowed.
	 */
	USED_UP,

	/**
	 * The registry was shut down with the application.
	 */
	SHUTDOWN

}
