package dev.dbchaos.actuate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * Faults of a fleet: those added with {@code "instances"} on every instance of the
 * application, or a share of them, rather than on the instance that received the request.
 * Implemented by {@code dbchaos-spring-cloud-bus} over Spring Cloud Bus; without it,
 * {@link #NONE} refuses {@code instances}.
 *
 * @since 0.1.0
 */
public interface FleetFaults {

	/**
	 * The name of the field (and of the {@code DELETE} parameter) that makes a fault a
	 * fleet fault.
	 */
	String INSTANCES = "instances";

	/**
	 * Take {@code instances} out of the members of a posted fault: it is not a field of
	 * the fault but where the fault goes, which the fleet decides.
	 * @param members the fault's members, without {@code instances} afterwards
	 * @param prefix the path of the fault in the body, such as {@code steps[0].fault.},
	 * for the field an error names
	 * @return {@code instances} as sent, or {@code null} for this instance only
	 * @throws InvalidFaultException naming {@code instances} if it is not a string
	 */
	static @Nullable String takeInstances(Map<?, ?> members, String prefix) {
		Object instances = members.remove(INSTANCES);
		if (instances != null && !(instances instanceof String)) {
			throw new InvalidFaultException(prefix + INSTANCES,
					"must be a string, \"all\" or a share such as \"50%\", was " + JsonBody.describe(instances));
		}
		return (String) instances;
	}

	/**
	 * No fleet: every fault is this instance's own, and {@code instances} is refused.
	 */
	FleetFaults NONE = new FleetFaults() {

		@Override
		public FaultDescriptor add(FaultRequest request, String instances, Caller caller) {
			throw notAvailable();
		}

		@Override
		public Optional<FaultDescriptor> remove(String id, Caller caller) {
			return Optional.empty();
		}

		@Override
		public List<FaultDescriptor> clear(String instances, Caller caller) {
			throw notAvailable();
		}

		@Override
		public void check(String instances) {
			throw notAvailable();
		}

		private InvalidFaultException notAvailable() {
			return new InvalidFaultException(INSTANCES,
					"needs Spring Cloud Bus and dev.dbchaos:dbchaos-spring-cloud-bus on the class path; "
							+ "leave it out to change this instance only");
		}

	};

	/**
	 * Check that the fleet understands {@code instances}, before anything is sent: an
	 * experiment's steps are checked when it starts.
	 * @param instances {@code instances} as sent
	 * @throws InvalidFaultException naming {@code instances} if not
	 */
	default void check(String instances) {
	}

	/**
	 * Describe a rule in force on this instance, with {@code instances} and
	 * {@code appliesHere} when it is a fleet fault.
	 * @param rule the rule
	 * @return its descriptor
	 */
	default FaultDescriptor describe(FaultRule rule) {
		return FaultDescriptor.of(rule);
	}

	/**
	 * Return the fleet faults in force on other instances but not on this one.
	 * @return their descriptors, with {@code instances} and {@code appliesHere} false
	 */
	default List<FaultDescriptor> elsewhere() {
		return List.of();
	}

	/**
	 * Add a fault on the instances it names: tell them all, then apply it here if it
	 * applies here.
	 * @param request the fault's fields
	 * @param instances {@code all} or a share such as {@code 50%}
	 * @param caller who asks
	 * @return the fault as this instance shows it
	 * @throws InvalidFaultException naming the offending field
	 * @throws FleetUnavailableException if the other instances cannot be told; then
	 * nothing changed
	 */
	FaultDescriptor add(FaultRequest request, String instances, Caller caller);

	/**
	 * Remove a fleet fault from every instance.
	 * @param id the fault's id
	 * @param caller who asks
	 * @return the fault, or empty when no fleet fault has that id
	 * @throws FleetUnavailableException if the other instances cannot be told; then
	 * nothing changed
	 */
	Optional<FaultDescriptor> remove(String id, Caller caller);

	/**
	 * Remove every fault from every instance.
	 * @param instances must be {@code all}
	 * @param caller who asks
	 * @return the faults removed here
	 * @throws InvalidFaultException if {@code instances} is not {@code all}
	 * @throws FleetUnavailableException if the other instances cannot be told; then
	 * nothing changed
	 */
	List<FaultDescriptor> clear(String instances, Caller caller);

	/**
	 * Who changes the fleet's faults.
	 *
	 * @param principal the authenticated principal, {@code anonymous} when not
	 * authenticated
	 * @param remoteAddress where the request came from, or {@code null} if unknown
	 */
	record Caller(String principal, @Nullable String remoteAddress) {

	}

	/**
	 * Thrown when the other instances cannot be told of a change: the endpoint answers
	 * {@code 503}, and nothing changed on any instance.
	 */
	class FleetUnavailableException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		/**
		 * Create an exception.
		 * @param message what could not be reached, naming it
		 * @param cause why
		 */
		public FleetUnavailableException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

}
