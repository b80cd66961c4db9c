package dev.dbchaos.demo.order;

/**
 * No order has the given id.
 */
public class OrderNotFoundException extends RuntimeException {

	/**
	 * Create a new exception.
	 * @param id the id asked for
	 */
	public OrderNotFoundException(long id) {
		super("No order has id " + id);
	}

}
