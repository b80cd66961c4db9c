package dev.dbchaos.cloud.bus;

import java.util.List;

import org.springframework.cloud.bus.event.Destination;
import org.springframework.cloud.bus.event.RemoteApplicationEvent;

/**
 * Fleet faults removed, or every fault cleared, as the instance that received the request
 * tells the others over the bus.
 *
 * @since 0.1.0
 */
@SuppressWarnings("serial")
public class FleetFaultsRemovedEvent extends RemoteApplicationEvent {

	private final List<String> faultIds;

	private final boolean all;

	private final String principal;

	@SuppressWarnings("unused")
	private FleetFaultsRemovedEvent() {
		this.faultIds = List.of();
		this.all = false;
		this.principal = "";
	}

	/**
	 * Create an event.
	 * @param source where it is published
	 * @param originService the sending instance's bus id
	 * @param destination the instances of the application
	 * @param faultIds the fleet faults to remove
	 * @param all whether to clear every fault, fleet or not, instead
	 * @param principal who asked
	 */
	public FleetFaultsRemovedEvent(Object source, String originService, Destination destination, List<String> faultIds,
			boolean all, String principal) {
		super(source, originService, destination);
		this.faultIds = List.copyOf(faultIds);
		this.all = all;
		this.principal = principal;
	}

	public List<String> getFaultIds() {
		return this.faultIds;
	}

	public boolean isAll() {
		return this.all;
	}

	public String getPrincipal() {
		return this.principal;
	}

}
