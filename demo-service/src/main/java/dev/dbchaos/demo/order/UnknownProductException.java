package dev.dbchaos.demo.order;

/**
 * An order was refused: the request names a sneaker or size the shop does not have.
 */
public class UnknownProductException extends OrderRefusedException {

	/**
	 * Create a new exception.
	 * @param request the refused request
	 */
	public UnknownProductException(OrderRequest request) {
		super("There is no such sneaker or size (sneaker " + request.sneakerId() + ", size " + request.size() + ")");
	}

}
