package dev.dbchaos.demo.catalogue;

/**
 * No sneaker has the given id.
 */
public class SneakerNotFoundException extends RuntimeException {

	/**
	 * Create a new exception.
	 * @param id the id asked for
	 */
	public SneakerNotFoundException(long id) {
		super("No sneaker has id " + id);
	}

}
