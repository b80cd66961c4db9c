package dev.dbchaos.cloud.bus;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.cloud.bus.event.PathDestinationFactory;
import org.springframework.cloud.bus.event.RemoteApplicationEvent;

import dev.dbchaos.actuate.DbChaosAuditEvent;
import dev.dbchaos.actuate.FaultDescriptor;
import dev.dbchaos.actuate.FaultRequest;
import dev.dbchaos.actuate.FleetFaults.Caller;
import dev.dbchaos.actuate.FleetFaults.FleetUnavailableException;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.InvalidFaultException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Three instances whose bus delivers each sent event to the other two, as Spring Cloud
 * Bus does (the sender never receives its own). A real broker, and its outage, with three
 * demo instances: {@code FleetOverRabbitMqIT} (integration-tests).
 */
class BusFleetFaultsTests {

	private static final Caller OPS = new Caller("ops", "10.0.0.9");

	private final List<Instance> fleet = new ArrayList<>();

	private boolean busUp = true;

	BusFleetFaultsTests() {
		for (String busId : List.of("shop:8081:a1", "shop:8082:b2", "shop:8083:c3")) {
			this.fleet.add(new Instance(busId));
		}
	}

	@AfterEach
	void closeRegistries() {
		this.fleet.forEach((instance) -> instance.registry.close());
	}

	@Test
	void allReachesEveryInstanceWithTheSameIdAndExpiry() {
		FaultDescriptor added = first().fleet.add(request("outage", "2m"), "all", OPS);
		assertThat(added.toMap()).containsEntry("instances", "all").containsEntry("appliesHere", true);
		for (Instance instance : this.fleet) {
			FaultRule rule = instance.registry.get(added.id()).orElseThrow();
			assertThat(rule.getExpiresAt()).isEqualTo(added.expiresAt());
			assertThat(instance.audits).singleElement()
				.satisfies((audit) -> assertThat(audit.getPrincipal()).isEqualTo("ops"))
				.satisfies((audit) -> assertThat(audit.getOrigin()).isEqualTo("shop:8081:a1"));
			assertThat(instance.auditTrail).singleElement().satisfies((audit) -> {
				assertThat(audit.getAuditEvent().getPrincipal()).isEqualTo("ops");
				assertThat(audit.getAuditEvent().getType()).isEqualTo("DBCHAOS_FAULT_ADDED");
				assertThat(audit.getAuditEvent().getData()).containsEntry("origin", "shop:8081:a1")
					.containsEntry("faults", List.of(added.id()));
			});
		}
	}

	@Test
	void aShareReachesExactlyTheInstancesTheHashPicks() {
		int applied = 0;
		for (int i = 0; i < 20; i++) {
			String id = "half-" + i;
			first().fleet.add(request(Map.of("type", "outage", "id", id)), "50%", OPS);
			for (Instance instance : this.fleet) {
				boolean picked = FleetShare.parse("50%").appliesTo(instance.busId, id);
				assertThat(instance.registry.get(id).isPresent()).as(instance.busId + " applies " + id)
					.isEqualTo(picked);
				applied += picked ? 1 : 0;
				List<Object> listed = instance.listed(id);
				assertThat(listed).as("every instance lists the fleet fault").singleElement().isEqualTo(picked);
			}
		}
		// 60 decisions, about half of them yes: a share is neither none nor all.
		assertThat(applied).isBetween(1, 59);
	}

	@Test
	void deleteOfAFleetFaultRemovesItEverywhere() {
		FaultDescriptor added = first().fleet.add(request("outage", "2m"), "all", OPS);
		assertThat(this.fleet.get(2).fleet.remove(added.id(), OPS)).isPresent();
		assertThat(this.fleet).allSatisfy((instance) -> {
			assertThat(instance.registry.getRules()).isEmpty();
			assertThat(instance.fleet.elsewhere()).isEmpty();
		});
	}

	@Test
	void clearingAllInstancesRemovesLocalFaultsToo() {
		this.fleet.forEach((instance) -> instance.registry
			.add(request(Map.of("type", "latency", "delay", "10ms", "duration", "1m")).toSpec()));
		first().fleet.add(request("outage", "2m"), "all", OPS);
		first().fleet.clear("all", OPS);
		assertThat(this.fleet).allSatisfy((instance) -> assertThat(instance.registry.getRules()).isEmpty());
	}

	@Test
	void anUnreachableBusChangesNothingOnAnyInstance() {
		this.busUp = false;
		assertThatExceptionOfType(FleetUnavailableException.class)
			.isThrownBy(() -> first().fleet.add(request("outage", "2m"), "all", OPS))
			.withMessageContaining("Spring Cloud Bus is unreachable");
		assertThat(this.fleet).allSatisfy((instance) -> {
			assertThat(instance.registry.getRules()).isEmpty();
			assertThat(instance.fleet.elsewhere()).isEmpty();
		});
	}

	@Test
	void anUnreachableBusLeavesAFleetFaultInForceEverywhere() {
		FaultDescriptor added = first().fleet.add(request("outage", "2m"), "all", OPS);
		this.busUp = false;
		assertThatExceptionOfType(FleetUnavailableException.class)
			.isThrownBy(() -> first().fleet.remove(added.id(), OPS));
		assertThatExceptionOfType(FleetUnavailableException.class).isThrownBy(() -> first().fleet.clear("all", OPS));
		assertThat(this.fleet).allSatisfy((instance) -> assertThat(instance.registry.get(added.id())).isPresent());
	}

	@Test
	void eventsFromAnotherApplicationAreIgnored() {
		Instance stranger = new Instance("billing:9090:zz");
		try {
			this.fleet.add(stranger);
			stranger.fleet.add(request("outage", "2m"), "all", OPS);
			assertThat(this.fleet.subList(0, 3))
				.allSatisfy((instance) -> assertThat(instance.registry.getRules()).isEmpty());
		}
		finally {
			this.fleet.remove(stranger);
			stranger.registry.close();
		}
	}

	@Test
	void badInstancesAndBadFieldsAreRefusedBeforeAnythingIsSent() {
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> first().fleet.add(request("outage", "2m"), "half", OPS))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("instances"));
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> first().fleet.add(request("outage", "2h"), "all", OPS))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("duration"));
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> first().fleet.clear("50%", OPS))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("instances"));
		assertThat(this.fleet).allSatisfy((instance) -> assertThat(instance.received).isEmpty());
	}

	private Instance first() {
		return this.fleet.get(0);
	}

	private static FaultRequest request(String type, String duration) {
		return request(Map.of("type", type, "duration", duration));
	}

	private static FaultRequest request(Map<String, String> fields) {
		return FaultRequest.of(fields);
	}

	private final class Instance {

		final String busId;

		final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1));

		final List<DbChaosAuditEvent> audits = new ArrayList<>();

		final List<AuditApplicationEvent> auditTrail = new ArrayList<>();

		final List<RemoteApplicationEvent> received = new ArrayList<>();

		final BusFleetFaults fleet;

		Instance(String busId) {
			this.busId = busId;
			this.fleet = new BusFleetFaults(this.registry, this::send, busId, new PathDestinationFactory(),
					this::publish, Clock.systemUTC());
		}

		private void publish(Object event) {
			if (event instanceof AuditApplicationEvent audit) {
				this.auditTrail.add(audit);
			}
			else {
				this.audits.add((DbChaosAuditEvent) event);
			}
		}

		private void send(RemoteApplicationEvent event) {
			if (!BusFleetFaultsTests.this.busUp) {
				throw new IllegalStateException("Connection refused");
			}
			for (Instance other : List.copyOf(BusFleetFaultsTests.this.fleet)) {
				if (other != this) {
					other.received.add(event);
					other.fleet.onApplicationEvent(event);
				}
			}
		}

		List<Object> listed(String id) {
			List<Object> here = new ArrayList<>();
			this.registry.get(id).map(this.fleet::describe).ifPresent((d) -> here.add(d.toMap().get("appliesHere")));
			this.fleet.elsewhere()
				.stream()
				.filter((d) -> d.id().equals(id))
				.forEach((d) -> here.add(d.toMap().get("appliesHere")));
			return here;
		}

	}

}
