package dev.dbchaos.demo.order;

/**
 * An order was refused: the requested size has fewer pairs left than asked for.
 */
public class SoldOutException extends OrderRefusedException {

	/**
	 * Create a new exception.
	 * @param request the refused request
	 */
	public SoldOutException(OrderRequest request) {
		super("Not enough pairs are left (sneaker " + request.sneakerId() + ", size " + request.size() + ")");
	}

}
