package dev.dbchaos.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dbchaos.experiment.Step;
import dev.dbchaos.experiment.StepFaults.Added;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FleetStepFaults}: which faults go to the fleet, and as what. How the
 * fleet spreads them is {@code BusFleetFaultsTests}' and {@code FleetOverRabbitMqIT}'s.
 */
class FleetStepFaultsTests {

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1));

	private final RecordingFleet fleet = new RecordingFleet();

	private final FleetStepFaults faults = new FleetStepFaults(this.registry, () -> this.fleet, Clock.systemUTC());

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void aStepWithoutInstancesIsThisInstancesOwn() {
		FaultSpec outage = FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofSeconds(10)).build();
		Added added = this.faults.add(new Step(Duration.ZERO, outage), outage, "ops");
		FaultRule rule = this.registry.get(added.id()).orElseThrow();
		assertThat(added.endsAt()).isEqualTo(rule.getExpiresAt());
		assertThat(this.fleet.added).isEmpty();
		this.faults.remove(new Step(Duration.ZERO, outage), added.id(), "ops");
		assertThat(this.registry.getRules()).isEmpty();
	}

	@Test
	void aStepWithInstancesGoesToTheFleetAsAPostedFaultWouldInTheNameOfWhoStartedIt() {
		FaultSpec latency = FaultSpec.builder(FaultType.LATENCY)
			.delay(Duration.ofMillis(250))
			.sql("INTO customer_order")
			.scope("t-1")
			.duration(Duration.ofSeconds(20))
			.build();
		Step step = new Step(Duration.ofSeconds(5), latency, "50%");
		Added added = this.faults.add(step, latency, "ops");
		assertThat(added.id()).isEqualTo("fleet-1");
		assertThat(this.fleet.added).singleElement().satisfies((call) -> {
			assertThat(call.instances()).isEqualTo("50%");
			assertThat(call.caller().principal()).isEqualTo("ops");
			assertThat(call.request().toSpec().toString()).isEqualTo(latency.toString());
			assertThat(call.request().toSpec().getDuration()).isEqualTo(Duration.ofSeconds(20));
		});
		this.faults.remove(step, added.id(), "ops");
		assertThat(this.fleet.removed).containsExactly("fleet-1");
		assertThat(this.registry.getRules()).isEmpty();
	}

	private record AddCall(FaultRequest request, String instances, FleetFaults.Caller caller) {

	}

	/** A fleet that records what it is asked, applying nothing. */
	private static final class RecordingFleet implements FleetFaults {

		final List<AddCall> added = new ArrayList<>();

		final List<String> removed = new ArrayList<>();

		@Override
		public FaultDescriptor add(FaultRequest request, String instances, Caller caller) {
			this.added.add(new AddCall(request, instances, caller));
			Instant now = Instant.now();
			return FaultDescriptor.of("fleet-" + this.added.size(), request.toSpec(), now,
					now.plus(request.toSpec().getDuration()));
		}

		@Override
		public Optional<FaultDescriptor> remove(String id, Caller caller) {
			this.removed.add(id);
			return Optional.empty();
		}

		@Override
		public List<FaultDescriptor> clear(String instances, Caller caller) {
			return List.of();
		}

	}

}
