package dev.dbchaos.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.context.ApplicationEvent;

/**
 * Published whenever someone changes the fault rules through the endpoint, so that the
 * application can forward it to its audit trail. Rules that end by themselves (expiry,
 * count) are logged but not published: nobody changed anything.
 *
 * @since 0.1.0
 */
public class DbChaosAuditEvent extends ApplicationEvent {

	private final Action action;

	private final List<FaultDescriptor> faults;

	private final String principal;

	private final @Nullable String remoteAddress;

	private final @Nullable String origin;

	/**
	 * Create an event.
	 * @param source the endpoint
	 * @param action what was done
	 * @param faults the rules it was done to
	 * @param principal who did it, {@code anonymous} when unauthenticated
	 * @param remoteAddress where the request came from, or {@code null} if unknown
	 */
	public DbChaosAuditEvent(Object source, Action action, List<FaultDescriptor> faults, String principal,
			@Nullable String remoteAddress) {
		this(source, action, faults, principal, remoteAddress, null);
	}

	/**
	 * Create an event for a change of a fleet's faults.
	 * @param source the endpoint or the fleet
	 * @param action what was done
	 * @param faults the rules it was done to
	 * @param principal who did it, {@code anonymous} when unauthenticated
	 * @param remoteAddress where the request came from, or {@code null} if unknown
	 * @param origin the bus id of the instance that received the request, or {@code null}
	 * when it was this one's own change
	 */
	public DbChaosAuditEvent(Object source, Action action, List<FaultDescriptor> faults, String principal,
			@Nullable String remoteAddress, @Nullable String origin) {
		super(source);
		this.action = action;
		this.faults = List.copyOf(faults);
		this.principal = principal;
		this.remoteAddress = remoteAddress;
		this.origin = origin;
	}

	public Action getAction() {
		return this.action;
	}

	public List<FaultDescriptor> getFaults() {
		return this.faults;
	}

	public String getPrincipal() {
		return this.principal;
	}

	public @Nullable String getRemoteAddress() {
		return this.remoteAddress;
	}

	public @Nullable String getOrigin() {
		return this.origin;
	}

	/**
	 * Return this change as Spring Boot's audit event, for an application's
	 * {@code AuditEventRepository}: type {@code DBCHAOS_FAULT_ADDED},
	 * {@code DBCHAOS_FAULT_REMOVED} or {@code DBCHAOS_FAULTS_CLEARED}, with the rule ids,
	 * the remote address and, for a fleet's change, the originating instance's bus id as
	 * data.
	 * @return the audit event
	 */
	public AuditApplicationEvent toAuditApplicationEvent() {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("faults", this.faults.stream().map(FaultDescriptor::id).toList());
		data.put("remoteAddress", this.remoteAddress);
		if (this.origin != null) {
			data.put("origin", this.origin);
		}
		return new AuditApplicationEvent(this.principal, this.action.auditType(), data);
	}

	@Override
	public String toString() {
		return "dbchaos " + this.action + " " + this.faults.stream().map(FaultDescriptor::id).toList() + " by "
				+ this.principal + " from " + this.remoteAddress + ((this.origin != null) ? " via " + this.origin : "");
	}

	/**
	 * What was done to the rules.
	 */
	public enum Action {

		/**
		 * A rule was added.
		 */
		ADDED,

		/**
		 * A rule was removed by id.
		 */
		REMOVED,

		/**
		 * All rules, or all rules of a scope, were removed.
		 */
		CLEARED;

		String auditType() {
			return switch (this) {
				case ADDED -> "DBCHAOS_FAULT_ADDED";
				case REMOVED -> "DBCHAOS_FAULT_REMOVED";
				case CLEARED -> "DBCHAOS_FAULTS_CLEARED";
			};
		}

	}

}
