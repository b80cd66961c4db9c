package dev.dbchaos.demo;

/**
 * The shopper page's HTML, read the way a shopper reads it.
 *
 * @param html the page
 */
public record ShopPage(String html) {

	/** The words of the notice shown while live stock is unavailable. */
	public static final String OUTAGE_NOTICE = "Live stock is unavailable";

	/**
	 * Return whether the page tells the shopper that live stock is unavailable.
	 * @return whether the outage notice is shown
	 */
	public boolean showsOutageNotice() {
		return this.html.contains(OUTAGE_NOTICE);
	}

	/**
	 * Return whether the sneaker is shown as coming soon.
	 * @param sneakerId the sneaker
	 * @return whether it is coming soon
	 */
	public boolean showsComingSoon(long sneakerId) {
		return card(sneakerId).contains("Coming soon");
	}

	/**
	 * Return whether the sneaker can be bought: a size selector and a Buy button.
	 * @param sneakerId the sneaker
	 * @return whether it is on sale
	 */
	public boolean showsSizeSelector(long sneakerId) {
		String card = card(sneakerId);
		return card.contains("<select name=\"size\"") && card.contains("Buy</button>");
	}

	private String card(long sneakerId) {
		String marker = "<li class=\"sneaker\" data-sneaker-id=\"" + sneakerId + "\"";
		int start = this.html.indexOf(marker);
		if (start < 0) {
			throw new AssertionError("No sneaker " + sneakerId + " on the page:\n" + this.html);
		}
		return this.html.substring(start, this.html.indexOf("</li>", start));
	}

}
