package dev.dbchaos.actuate;

/**
 * An experiment definition file that cannot be read: it stops the application at
 * start-up, naming the file, the field by its path and the reason.
 *
 * @since 0.1.0
 */
public class InvalidExperimentDefinitionException extends RuntimeException {

	private final String file;

	private final String field;

	private final String reason;

	/**
	 * Create the exception.
	 * @param file the file, as its resource describes it
	 * @param field the offending field by its path, such as {@code steps[0].fault.type},
	 * or {@code body} for the file as a whole
	 * @param reason what is wrong with it
	 */
	public InvalidExperimentDefinitionException(String file, String field, String reason) {
		super("Experiment definition " + file + ": '" + field + "' " + reason);
		this.file = file;
		this.field = field;
		this.reason = reason;
	}

	/**
	 * Return the file.
	 * @return the file, as its resource describes it
	 */
	public String getFile() {
		return this.file;
	}

	/**
	 * Return the offending field.
	 * @return its path
	 */
	public String getField() {
		return this.field;
	}

	/**
	 * Return what is wrong.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
