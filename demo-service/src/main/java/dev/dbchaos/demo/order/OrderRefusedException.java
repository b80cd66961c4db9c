package dev.dbchaos.demo.order;

/**
 * An order broke a rule of the shop; nothing was bought. The database answered, so this
 * is not a database failure.
 */
public abstract class OrderRefusedException extends RuntimeException {

	protected OrderRefusedException(String message) {
		super(message);
	}

}
