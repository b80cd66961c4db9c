package dev.dbchaos.autoconfigure;

/**
 * Thrown at start-up when a {@code dbchaos.*} property has a value dbchaos cannot use.
 *
 * @author dbchaos
 * @see InvalidDbChaosPropertyFailureAnalyzer
 */
public class InvalidDbChaosPropertyException extends RuntimeException {

	private final String property;

	private final Object value;

	private final String reason;

	/**
	 * Create a new exception.
	 * @param property the full property name, such as {@code dbchaos.faults[0].probability}
	 * @param value the offending value
	 * @param reason why it cannot be used
	 */
	public InvalidDbChaosPropertyException(String property, Object value, String reason) {
		super("Invalid value '" + value + "' for property '" + property + "': " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
	}

	public String getProperty() {
		return this.property;
	}

	public Object getValue() {
		return this.value;
	}

	public String getReason() {
		return this.reason;
	}

}
