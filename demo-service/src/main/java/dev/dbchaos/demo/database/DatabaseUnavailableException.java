package dev.dbchaos.demo.database;

/**
 * The database cannot be used right now: it is down, hung, full, or the circuit breaker
 * has stopped calling it. The web layer answers 503.
 */
public class DatabaseUnavailableException extends RuntimeException {

	/**
	 * Create a new exception.
	 * @param message what could not be done
	 * @param cause the failure
	 */
	public DatabaseUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
