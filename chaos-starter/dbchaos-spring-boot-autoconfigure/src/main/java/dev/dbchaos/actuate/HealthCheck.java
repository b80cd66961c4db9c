package dev.dbchaos.actuate;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.experiment.Check;
import dev.dbchaos.experiment.Observation;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * A check of a health component or group: holds while it has the given status.
 *
 * @since 0.1.0
 */
public final class HealthCheck implements Check {

	private final Function<String, @Nullable String> statuses;

	private final String health;

	private final String status;

	/**
	 * Create a check of a health component or group that exists.
	 * @param statuses the status of a component or group by its path, {@code null} when
	 * there is none; each Spring Boot generation's health endpoint answers it
	 * @param field the field the check was given in, named when the health is unknown
	 * @param health the component or group, such as {@code readiness} or {@code db}
	 * @param status the status it must have, such as {@code UP}
	 * @throws InvalidFaultException naming {@code field} when there is no such health
	 */
	public HealthCheck(Function<String, @Nullable String> statuses, String field, String health, String status) {
		if (statuses.apply(health) == null) {
			throw new InvalidFaultException(field,
					"no health component or group is named '" + FaultRequest.abbreviate(health) + "'");
		}
		this.statuses = statuses;
		this.health = health;
		this.status = status;
	}

	@Override
	public String description() {
		return observed() + " is " + this.status;
	}

	@Override
	public String observed() {
		return "health " + this.health;
	}

	@Override
	public Observation observe() {
		String seen = this.statuses.apply(this.health);
		String value = (seen != null) ? seen : "UNKNOWN";
		return new Observation(this.status.equals(value), value);
	}

}
