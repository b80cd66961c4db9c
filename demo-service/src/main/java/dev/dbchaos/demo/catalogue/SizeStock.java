package dev.dbchaos.demo.catalogue;

/**
 * How many pairs of one size are left.
 *
 * @param size the size, as printed on the box
 * @param stock the pairs left
 */
public record SizeStock(String size, int stock) {

	/**
	 * Return whether at least one pair is left.
	 * @return whether the size is in stock
	 */
	public boolean inStock() {
		return this.stock > 0;
	}

}
