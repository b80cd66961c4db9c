package dev.dbchaos.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.dbchaos.fault.FaultRegistry;

/**
 * The details of the {@code dbchaos} health contributor: the active faults and the data
 * sources they can reach. Each starter's health indicator reports them with its own
 * generation's health API (Spring Boot 4 moved it); the content is defined once, here.
 *
 * @since 0.1.0
 */
public final class DbChaosHealthDetails {

	private DbChaosHealthDetails() {
	}

	/**
	 * The details to report, always with status UP: a fault injected on purpose is no
	 * reason to take the service out of rotation, but whoever reads the health details
	 * should see it.
	 * @param registry the rules in force
	 * @return the details, by name
	 */
	public static Map<String, Object> of(FaultRegistry registry) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("faults", registry.getRules().stream().map(FaultDescriptor::of).toList());
		details.put("dataSources", registry.getDataSources());
		return details;
	}

}
