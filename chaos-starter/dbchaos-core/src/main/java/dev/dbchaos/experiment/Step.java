package dev.dbchaos.experiment;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.FaultSpec;

/**
 * One step of an experiment: a fault added at an offset from the start.
 *
 * @param at the offset from the start of the experiment
 * @param fault the fault, as it would be added on its own
 * @param instances where the fault goes: {@code null} for this instance only, else the
 * instances of a fleet as {@link StepFaults} understands them (such as {@code all} or
 * {@code 50%})
 * @since 0.1.0
 */
public record Step(Duration at, FaultSpec fault, @Nullable String instances) {

	/**
	 * Create a step of this instance only.
	 * @param at the offset from the start of the experiment
	 * @param fault the fault
	 */
	public Step(Duration at, FaultSpec fault) {
		this(at, fault, null);
	}

}
