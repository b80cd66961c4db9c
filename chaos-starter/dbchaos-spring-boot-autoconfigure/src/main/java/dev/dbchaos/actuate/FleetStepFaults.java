package dev.dbchaos.actuate;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.dbchaos.actuate.FleetFaults.Caller;
import dev.dbchaos.experiment.Step;
import dev.dbchaos.experiment.StepFaults;
import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;

/**
 * The faults of experiment steps: on this instance, or, for a step whose fault has
 * {@code instances}, on the fleet ({@link FleetFaults}), exactly as a fault posted with
 * {@code instances}: every instance (or the share) applies it with the same id and end,
 * and removing it removes it everywhere. The experiment's guards and hypothesis watch
 * this instance.
 *
 * @since 0.1.0
 */
public final class FleetStepFaults implements StepFaults {

	private final FaultRegistry registry;

	private final StepFaults local;

	private final Supplier<FleetFaults> fleet;

	private final Clock clock;

	/**
	 * Create the step faults.
	 * @param registry this instance's registry
	 * @param fleet the fleet, {@link FleetFaults#NONE} without one
	 * @param clock tells when a fleet fault was added
	 */
	public FleetStepFaults(FaultRegistry registry, Supplier<FleetFaults> fleet, Clock clock) {
		this.registry = registry;
		this.local = StepFaults.of(registry);
		this.fleet = fleet;
		this.clock = clock;
	}

	@Override
	public Added add(Step step, FaultSpec fault, String startedBy) {
		String instances = step.instances();
		if (instances == null) {
			return this.local.add(step, fault, startedBy);
		}
		FaultDescriptor added = this.fleet.get().add(request(fault), instances, new Caller(startedBy, null));
		String id = added.id();
		return new Added(id, this.registry.get(id).map(FaultRule::getCreatedAt).orElseGet(this.clock::instant),
				added.expiresAt());
	}

	@Override
	public void remove(Step step, String id, String startedBy) {
		if (step.instances() == null) {
			this.local.remove(step, id, startedBy);
		}
		else {
			this.fleet.get().remove(id, new Caller(startedBy, null));
		}
	}

	/**
	 * The fault as posted, field by field in the endpoint's own text.
	 * @param fault the fault
	 * @return the request
	 */
	private static FaultRequest request(FaultSpec fault) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (FaultField<?> field : FaultField.all()) {
			Object value = field.getJson(fault);
			if (value != null) {
				fields.put(field.name(), value.toString());
			}
		}
		return FaultRequest.of(fields);
	}

}
