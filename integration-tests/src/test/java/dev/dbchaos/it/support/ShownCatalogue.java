package dev.dbchaos.it.support;

import java.util.Map;

/**
 * What the shopper's browser shows of the catalogue at one moment, read in one step so
 * that every answer comes from the same state of the page.
 *
 * @param outageNotice whether the notice that live stock is unavailable is shown
 * @param cards each sneaker's card, by sneaker id
 */
public record ShownCatalogue(boolean outageNotice, Map<Long, Card> cards) {

	public ShownCatalogue {
		cards = Map.copyOf(cards);
	}

	/**
	 * Return whether the sneaker is shown as coming soon.
	 * @param sneakerId the sneaker
	 * @return whether it is coming soon
	 */
	public boolean showsComingSoon(long sneakerId) {
		return card(sneakerId).comingSoon();
	}

	/**
	 * Return whether the sneaker shows a size selector the shopper can see.
	 * @param sneakerId the sneaker
	 * @return whether it can be bought
	 */
	public boolean showsSizeSelector(long sneakerId) {
		return card(sneakerId).sizeSelector();
	}

	private Card card(long sneakerId) {
		Card card = this.cards.get(sneakerId);
		if (card == null) {
			throw new AssertionError("No sneaker " + sneakerId + " on the page, only " + this.cards.keySet());
		}
		return card;
	}

	/**
	 * One sneaker's card.
	 *
	 * @param comingSoon whether it says "Coming soon"
	 * @param sizeSelector whether it shows a size selector
	 */
	public record Card(boolean comingSoon, boolean sizeSelector) {
	}

}
