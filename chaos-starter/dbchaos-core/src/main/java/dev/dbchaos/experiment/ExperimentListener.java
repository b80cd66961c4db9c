package dev.dbchaos.experiment;

/**
 * Told when experiments start and end, for metrics and logs.
 *
 * @since 0.1.0
 */
public interface ExperimentListener {

	/**
	 * An experiment started (its hypothesis held) or was refused.
	 * @param report the experiment as it stands
	 */
	default void started(ExperimentReport report) {
	}

	/**
	 * An experiment ended: completed, aborted or refused.
	 * @param report its final report
	 */
	default void ended(ExperimentReport report) {
	}

}
