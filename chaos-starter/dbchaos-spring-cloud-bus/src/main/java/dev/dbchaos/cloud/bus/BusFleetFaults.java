package dev.dbchaos.cloud.bus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.bus.BusBridge;
import org.springframework.cloud.bus.event.Destination;
import org.springframework.cloud.bus.event.RemoteApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

import dev.dbchaos.actuate.DbChaosAuditEvent;
import dev.dbchaos.actuate.DbChaosAuditEvent.Action;
import dev.dbchaos.actuate.FaultDescriptor;
import dev.dbchaos.actuate.FaultRequest;
import dev.dbchaos.actuate.FleetFaults;
import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * {@link FleetFaults} over Spring Cloud Bus. The instance that receives a request sends
 * it on the bus first and changes its own faults only once the send returned, so that a
 * bus that cannot be reached changes nothing anywhere; the others apply what they
 * receive, and only from instances of their own application (the first part of the bus
 * id, {@code spring.application.name}). Every instance keeps the fleet's faults, also
 * those that do not apply to it, so that any of them lists the whole fleet's.
 *
 * @since 0.1.0
 */
public class BusFleetFaults implements FleetFaults, ApplicationListener<RemoteApplicationEvent> {

	private static final Log logger = LogFactory.getLog("dev.dbchaos");

	private final FaultRegistry registry;

	private final BusBridge bus;

	private final String busId;

	private final Destination destination;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Map<String, FleetFault> faults = new ConcurrentHashMap<>();

	/**
	 * Create the fleet of an instance.
	 * @param registry this instance's faults
	 * @param bus the bus to tell the other instances on
	 * @param busId this instance's bus id, {@code spring.cloud.bus.id}
	 * @param destinations makes the destination of the application's instances
	 * @param events where to publish audit events
	 * @param clock the clock of the fleet faults' ends
	 */
	public BusFleetFaults(FaultRegistry registry, BusBridge bus, String busId, Destination.Factory destinations,
			ApplicationEventPublisher events, Clock clock) {
		this.registry = registry;
		this.bus = bus;
		this.busId = busId;
		this.destination = destinations.getDestination(application(busId));
		this.events = events;
		this.clock = clock;
	}

	private static String application(String busId) {
		int colon = busId.indexOf(':');
		return (colon >= 0) ? busId.substring(0, colon) : busId;
	}

	@Override
	public FaultDescriptor describe(FaultRule rule) {
		FaultDescriptor descriptor = FaultDescriptor.of(rule);
		FleetFault fleet = this.faults.get(rule.getId());
		return (fleet != null) ? fleet.annotate(descriptor, true) : descriptor;
	}

	@Override
	public List<FaultDescriptor> elsewhere() {
		Instant now = this.clock.instant();
		this.faults.values().removeIf((fault) -> !fault.expiresAt().isAfter(now));
		return this.faults.values().stream().filter((fault) -> !fault.appliesHere()).map(FleetFault::describe).toList();
	}

	@Override
	public FaultDescriptor add(FaultRequest request, String instances, Caller caller) {
		FleetShare share = FleetShare.parse(instances);
		FaultSpec spec = request.toSpec();
		Duration duration = (spec.getDuration() != null) ? spec.getDuration() : this.registry.getDefaultDuration();
		if (duration.compareTo(this.registry.getMaxDuration()) > 0) {
			throw new InvalidFaultException(FaultField.DURATION.name(),
					"must not exceed the maximum duration of " + this.registry.getMaxDuration() + ", was " + duration);
		}
		String id = (spec.getId() != null) ? spec.getId() : UUID.randomUUID().toString().substring(0, 8);
		if (this.faults.containsKey(id) || this.registry.get(id).isPresent()) {
			throw new InvalidFaultException(FaultField.ID.name(), "'" + id + "' is already in use by an active rule");
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (FaultField<?> field : FaultField.all()) {
			String text = request.get(field);
			if (text != null && field != FaultField.DURATION) {
				fields.put(field.name(), text);
			}
		}
		fields.put(FaultField.ID.name(), id);
		Instant expiresAt = this.clock.instant().plus(duration);
		FleetFaultAddedEvent event = new FleetFaultAddedEvent(this, this.busId, this.destination, id, fields,
				share.toString(), expiresAt.toString(), caller.principal());
		send(event, "the fault was added on no instance");
		return apply(event, caller.remoteAddress());
	}

	@Override
	public void check(String instances) {
		FleetShare.parse(instances);
	}

	@Override
	public Optional<FaultDescriptor> remove(String id, Caller caller) {
		FleetFault fault = this.faults.get(id);
		if (fault == null) {
			return Optional.empty();
		}
		FaultDescriptor descriptor = this.registry.get(id)
			.map((rule) -> fault.annotate(FaultDescriptor.of(rule), true))
			.orElseGet(fault::describe);
		FleetFaultsRemovedEvent event = new FleetFaultsRemovedEvent(this, this.busId, this.destination, List.of(id),
				false, caller.principal());
		send(event, "the fault was removed from no instance");
		apply(event, caller.remoteAddress());
		return Optional.of(descriptor);
	}

	@Override
	public List<FaultDescriptor> clear(String instances, Caller caller) {
		if (!"all".equals(instances)) {
			throw new InvalidFaultException(INSTANCES,
					"must be \"all\" to clear every instance, was '" + FleetShare.parse(instances) + "'");
		}
		FleetFaultsRemovedEvent event = new FleetFaultsRemovedEvent(this, this.busId, this.destination, List.of(), true,
				caller.principal());
		send(event, "no instance was cleared");
		return apply(event, caller.remoteAddress());
	}

	private void send(RemoteApplicationEvent event, String consequence) {
		try {
			this.bus.send(event);
		}
		catch (RuntimeException ex) {
			throw new FleetUnavailableException(
					"Spring Cloud Bus is unreachable (" + ex.getMessage() + "); " + consequence + ", this one included",
					ex);
		}
	}

	@Override
	public void onApplicationEvent(RemoteApplicationEvent event) {
		if (!(event instanceof FleetFaultAddedEvent) && !(event instanceof FleetFaultsRemovedEvent)) {
			return;
		}
		String origin = event.getOriginService();
		if (origin == null || origin.equals(this.busId)) {
			// This instance applied its own change when it sent it.
			return;
		}
		if (!application(origin).equals(application(this.busId))) {
			logger.warn("dbchaos ignored a fleet change from " + origin + ", which is not an instance of "
					+ application(this.busId));
			return;
		}
		if (event instanceof FleetFaultAddedEvent added) {
			try {
				apply(added, null);
			}
			catch (InvalidFaultException ex) {
				// Logged by apply; the bus has no one to answer to.
			}
		}
		else if (event instanceof FleetFaultsRemovedEvent removed) {
			apply(removed, null);
		}
	}

	/**
	 * Apply a fleet fault on this instance: keep it in the fleet's list, and add it to
	 * the registry when it applies here.
	 * @param event the fault
	 * @param remoteAddress where the request came from, when it came to this instance
	 * @return the fault as this instance shows it
	 */
	FaultDescriptor apply(FleetFaultAddedEvent event, @Nullable String remoteAddress) {
		FleetShare share = FleetShare.parse(event.getInstances());
		FaultSpec spec = FaultRequest.of(event.getFields()).toSpec();
		Instant expiresAt = Instant.parse(event.getExpiresAt());
		boolean here = share.appliesTo(this.busId, event.getFaultId());
		FleetFault fault = new FleetFault(event.getFaultId(), spec, share, this.clock.instant(), expiresAt, here);
		this.faults.put(fault.id(), fault);
		FaultDescriptor descriptor = fault.describe();
		if (here) {
			try {
				descriptor = fault.annotate(FaultDescriptor.of(this.registry.addUntil(spec, expiresAt)), true);
			}
			catch (InvalidFaultException ex) {
				this.faults.remove(fault.id());
				logger.warn("dbchaos did not apply fleet fault " + fault.id() + " from " + event.getOriginService()
						+ ": " + ex.getMessage());
				throw ex;
			}
		}
		audit(Action.ADDED, List.of(descriptor), event, remoteAddress);
		return descriptor;
	}

	/**
	 * Remove fleet faults, or clear every fault, on this instance.
	 * @param event what to remove
	 * @param remoteAddress where the request came from, when it came to this instance
	 * @return the faults removed here
	 */
	List<FaultDescriptor> apply(FleetFaultsRemovedEvent event, @Nullable String remoteAddress) {
		List<FaultDescriptor> removed = new ArrayList<>();
		if (event.isAll()) {
			this.registry.clear().forEach((rule) -> removed.add(describe(rule)));
			this.faults.values()
				.stream()
				.filter((fault) -> !fault.appliesHere())
				.forEach((fault) -> removed.add(fault.describe()));
			this.faults.clear();
		}
		else {
			for (String id : event.getFaultIds()) {
				FleetFault fault = this.faults.get(id);
				if (fault != null) {
					this.registry.remove(id)
						.ifPresentOrElse((rule) -> removed.add(describe(rule)), () -> removed.add(fault.describe()));
					this.faults.remove(id);
				}
			}
		}
		audit(event.isAll() ? Action.CLEARED : Action.REMOVED, removed, event, remoteAddress);
		return removed;
	}

	private void audit(Action action, List<FaultDescriptor> faults, RemoteApplicationEvent event,
			@Nullable String remoteAddress) {
		String principal = (event instanceof FleetFaultAddedEvent added) ? added.getPrincipal()
				: ((FleetFaultsRemovedEvent) event).getPrincipal();
		String origin = event.getOriginService();
		if (!faults.isEmpty()) {
			logger.warn("dbchaos fleet " + action.name().toLowerCase(Locale.ROOT) + " "
					+ faults.stream().map(FaultDescriptor::id).toList() + " by " + principal + " from "
					+ ((remoteAddress != null) ? remoteAddress : "unknown") + " via " + origin);
		}
		DbChaosAuditEvent audit = new DbChaosAuditEvent(this, action, faults, principal, remoteAddress, origin);
		this.events.publishEvent(audit);
		// Every instance's own audit trail records the change, not only the receiving
		// one's.
		this.events.publishEvent(audit.toAuditApplicationEvent());
	}

	/**
	 * A fleet fault as this instance knows it.
	 *
	 * @param id its id on every instance
	 * @param spec what it injects
	 * @param share the instances it is for
	 * @param createdAt when this instance heard of it
	 * @param expiresAt when it ends on every instance
	 * @param appliesHere whether this instance applies it
	 */
	private record FleetFault(String id, FaultSpec spec, FleetShare share, Instant createdAt, Instant expiresAt,
			boolean appliesHere) {

		FaultDescriptor describe() {
			return annotate(FaultDescriptor.of(this.id, this.spec, this.createdAt, this.expiresAt), this.appliesHere);
		}

		FaultDescriptor annotate(FaultDescriptor descriptor, boolean here) {
			return descriptor.with(INSTANCES, this.share.toString()).with("appliesHere", here);
		}

	}

}
