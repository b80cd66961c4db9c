package dev.dbchaos.experiment;

/**
 * Something an experiment observes: a hypothesis that must hold before and after the
 * faults, or a guard that must hold while they are active.
 *
 * @since 0.1.0
 */
public interface Check {

	/**
	 * Return what is checked, such as {@code health readiness is UP}; it names the check
	 * in the report, in {@code abortedBy} and in the samples.
	 * @return the description, the same for checks of the same thing
	 */
	String description();

	/**
	 * Return the name of what is sampled, such as {@code health readiness}; checks of the
	 * same thing with different bounds share it, and so one series of samples.
	 * @return the name of the observed quantity
	 */
	String observed();

	/**
	 * Observe the checked quantity now.
	 * @return the value seen and whether the check holds
	 */
	Observation observe();

}
