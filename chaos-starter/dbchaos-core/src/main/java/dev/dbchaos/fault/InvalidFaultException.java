package dev.dbchaos.fault;

/**
 * Thrown when a fault rule is not valid. Names the offending field and the reason, so
 * that the endpoint can answer 400 and start-up can fail with a message naming the
 * property.
 *
 * @since 0.1.0
 */
public class InvalidFaultException extends IllegalArgumentException {

	private final String field;

	private final String reason;

	/**
	 * Create a new exception.
	 * @param field the name of the offending field, as in JSON ({@code probability})
	 * @param reason why the value is not valid
	 */
	public InvalidFaultException(String field, String reason) {
		super(field + ": " + reason);
		this.field = field;
		this.reason = reason;
	}

	/**
	 * Return the name of the offending field.
	 * @return the field name
	 */
	public String getField() {
		return this.field;
	}

	/**
	 * Return why the value is not valid.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
