package dev.dbchaos.fault;

import java.time.Duration;

/**
 * Callback for what happens to fault rules, used for logging and metrics. Called on the
 * thread that caused the event, often a JDBC call; implementations must be quick. An
 * exception a listener throws is logged by the {@link FaultRegistry} (logger
 * {@code dev.dbchaos}) and otherwise ignored: the JDBC call, or the change to the rules,
 * goes on as without the listener.
 *
 * @since 0.1.0
 */
public interface FaultListener {

	/**
	 * Called when a rule became active.
	 * @param rule the new rule
	 */
	default void added(FaultRule rule) {
	}

	/**
	 * Called when a rule ended.
	 * @param rule the rule
	 * @param reason why it ended
	 */
	default void removed(FaultRule rule, RemovalReason reason) {
	}

	/**
	 * Called when a rule affected a JDBC call.
	 * @param rule the rule
	 * @param call what was called
	 */
	default void injected(FaultRule rule, JdbcCall call) {
	}

	/**
	 * Called when a call was held back by a latency or hang fault.
	 * @param rule the rule
	 * @param call what was called
	 * @param delay how long the call was held back
	 */
	default void delayed(FaultRule rule, JdbcCall call, Duration delay) {
	}

}
