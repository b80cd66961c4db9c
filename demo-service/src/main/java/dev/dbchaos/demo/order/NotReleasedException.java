package dev.dbchaos.demo.order;

/**
 * An order was refused: the sneaker cannot be bought before its release.
 */
public class NotReleasedException extends OrderRefusedException {

	/**
	 * Create a new exception.
	 * @param request the refused request
	 */
	public NotReleasedException(OrderRequest request) {
		super("The sneaker is not released yet (sneaker " + request.sneakerId() + ", size " + request.size() + ")");
	}

}
