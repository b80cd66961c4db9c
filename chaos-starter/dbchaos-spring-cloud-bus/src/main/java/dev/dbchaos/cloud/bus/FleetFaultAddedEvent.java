package dev.dbchaos.cloud.bus;

import java.util.Map;

import org.springframework.cloud.bus.event.Destination;
import org.springframework.cloud.bus.event.RemoteApplicationEvent;

/**
 * A fleet fault, as the instance that received it tells the others over the bus: its
 * fields as posted (without {@code duration}), the id and absolute end every instance
 * gives it, the instances it is for, and who asked.
 *
 * @since 0.1.0
 */
@SuppressWarnings("serial")
public class FleetFaultAddedEvent extends RemoteApplicationEvent {

	// Final fields and a private constructor for Jackson, as Spring Cloud Bus's own
	// events.

	private final String faultId;

	private final Map<String, String> fields;

	private final String instances;

	private final String expiresAt;

	private final String principal;

	@SuppressWarnings({ "unused", "NullAway" })
	private FleetFaultAddedEvent() {
		this.faultId = "";
		this.fields = Map.of();
		this.instances = "";
		this.expiresAt = "";
		this.principal = "";
	}

	/**
	 * Create an event.
	 * @param source where it is published
	 * @param originService the sending instance's bus id
	 * @param destination the instances of the application
	 * @param faultId the fault's id on every instance
	 * @param fields the fault's fields as text, by name
	 * @param instances {@code all} or a share such as {@code 50%}
	 * @param expiresAt when the fault ends on every instance, ISO-8601
	 * @param principal who asked
	 */
	public FleetFaultAddedEvent(Object source, String originService, Destination destination, String faultId,
			Map<String, String> fields, String instances, String expiresAt, String principal) {
		super(source, originService, destination);
		this.faultId = faultId;
		this.fields = Map.copyOf(fields);
		this.instances = instances;
		this.expiresAt = expiresAt;
		this.principal = principal;
	}

	public String getFaultId() {
		return this.faultId;
	}

	public Map<String, String> getFields() {
		return this.fields;
	}

	public String getInstances() {
		return this.instances;
	}

	public String getExpiresAt() {
		return this.expiresAt;
	}

	public String getPrincipal() {
		return this.principal;
	}

}
