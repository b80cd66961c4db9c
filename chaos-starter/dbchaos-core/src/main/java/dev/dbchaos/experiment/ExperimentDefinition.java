package dev.dbchaos.experiment;

import java.time.Duration;
import java.util.List;

/**
 * What an experiment does and how it is judged.
 *
 * @param name what the experiment is about, shown in its report
 * @param steps the faults and when to add them
 * @param hypothesis checks that must hold before the first step (else the experiment is
 * refused) and again within {@code recoverWithin} of the last fault's end (else it fails)
 * @param recoverWithin how long the hypothesis has to hold again after the faults end
 * @param guards checks that must hold while the faults are active; the first that fails
 * aborts the experiment
 * @since 0.1.0
 */
public record ExperimentDefinition(String name, List<Step> steps, List<Check> hypothesis, Duration recoverWithin,
		List<Check> guards) {

	/**
	 * How long the hypothesis has to hold again when the definition does not say.
	 */
	public static final Duration DEFAULT_RECOVER_WITHIN = Duration.ofSeconds(30);

	/**
	 * Create a definition.
	 * @param name what the experiment is about
	 * @param steps the faults and when to add them
	 * @param hypothesis the checks before and after
	 * @param recoverWithin how long the hypothesis has to hold again
	 * @param guards the checks while faults are active
	 */
	public ExperimentDefinition {
		steps = List.copyOf(steps);
		hypothesis = List.copyOf(hypothesis);
		guards = List.copyOf(guards);
	}

}
