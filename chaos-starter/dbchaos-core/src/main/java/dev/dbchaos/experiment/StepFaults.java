package dev.dbchaos.experiment;

import java.time.Instant;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * Adds and removes the faults of an experiment's steps: on this instance's registry, or,
 * for a step with {@link Step#instances() instances}, on a fleet's.
 *
 * @since 0.1.0
 */
public interface StepFaults {

	/**
	 * Add a step's fault.
	 * @param step the step
	 * @param fault its fault, with the lifetime the experiment gives it
	 * @param startedBy who started the experiment
	 * @return the fault as added
	 * @throws InvalidFaultException if it cannot be added
	 */
	Added add(Step step, FaultSpec fault, String startedBy);

	/**
	 * Remove a step's fault, if it is still there.
	 * @param step the step
	 * @param id the fault's id
	 * @param startedBy who started the experiment
	 */
	void remove(Step step, String id, String startedBy);

	/**
	 * The faults of one registry: a step for other instances is refused.
	 * @param registry the registry
	 * @return the step faults
	 */
	static StepFaults of(FaultRegistry registry) {
		return new StepFaults() {

			@Override
			public Added add(Step step, FaultSpec fault, String startedBy) {
				if (step.instances() != null) {
					throw new InvalidFaultException("instances", "needs a fleet (dbchaos-spring-cloud-bus)");
				}
				FaultRule rule = registry.add(fault);
				return new Added(rule.getId(), rule.getCreatedAt(), rule.getExpiresAt());
			}

			@Override
			public void remove(Step step, String id, String startedBy) {
				registry.remove(id);
			}

		};
	}

	/**
	 * A step's fault as added.
	 *
	 * @param id its id
	 * @param startedAt when it was added
	 * @param endsAt when it ends by itself
	 */
	record Added(String id, Instant startedAt, Instant endsAt) {

	}

}
