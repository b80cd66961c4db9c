package dev.dbchaos.demo.catalogue;

import java.util.List;

/**
 * A sneaker of the drop, with its stock per size.
 *
 * @param id the id
 * @param name the name
 * @param brand the brand
 * @param priceCents the price in euro cents
 * @param released whether it can be bought
 * @param sizes the sizes, smallest first
 */
public record Sneaker(long id, String name, String brand, int priceCents, boolean released, List<SizeStock> sizes) {

	/**
	 * Return the sizes that can be bought now.
	 * @return the sizes in stock
	 */
	public List<SizeStock> sizesInStock() {
		return this.sizes.stream().filter(SizeStock::inStock).toList();
	}

	/**
	 * Return the price for display, such as {@code €180.00}.
	 * @return the price
	 */
	public String price() {
		return String.format("€%d.%02d", this.priceCents / 100, this.priceCents % 100);
	}

}
