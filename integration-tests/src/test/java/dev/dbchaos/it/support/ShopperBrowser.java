package dev.dbchaos.it.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.dbchaos.demo.ShopPage;

/**
 * A shopper in a real {@link HeadlessChromium headless Chromium}: skipped where it is not
 * installed, except in CI ({@code CI=true}), where the scenario fails instead.
 */
public final class ShopperBrowser implements AutoCloseable {

	/**
	 * Set on the page after loading it: still there later means the page was never
	 * reloaded.
	 */
	private static final String LOADED_ONCE = "window.__dbchaosLoadedOnce";

	/**
	 * The catalogue as the shopper sees it: shown means laid out on the page
	 * ({@code getClientRects}), as Selenium's {@code isDisplayed} approximates it.
	 */
	private static final String READ_CATALOGUE = """
			const catalogue = document.getElementById('catalogue');
			if (!catalogue) { return null; }
			const shown = (element) => element !== null && element.getClientRects().length > 0;
			const notice = catalogue.querySelector('.notice');
			return {
			  outageNotice: shown(notice) && notice.textContent.includes(arguments[0]),
			  cards: Array.from(catalogue.querySelectorAll('li.sneaker')).map((card) => ({
			    id: Number(card.dataset.sneakerId),
			    comingSoon: Array.from(card.querySelectorAll('.coming-soon'))
			      .some((label) => shown(label) && label.textContent.includes('Coming soon')),
			    sizeSelector: shown(card.querySelector('form.buy select[name=size]'))
			  }))
			};
			""";

	private final ChromeDriver driver;

	private ShopperBrowser(ChromeDriver driver) {
		this.driver = driver;
	}

	/**
	 * Start the browser, or skip (outside CI) or fail (in CI) when it is not installed.
	 * @return the browser; close it when done
	 */
	public static ShopperBrowser open() {
		return new ShopperBrowser(HeadlessChromium.start("The shopper's browser scenario"));
	}

	/**
	 * Load the page and mark it, so that {@link #wasNeverReloaded()} can tell a reload.
	 * @param url the page
	 */
	public void load(String url) {
		this.driver.get(url);
		mark();
	}

	/**
	 * Press the browser's reload, as an impatient shopper does.
	 */
	public void reload() {
		this.driver.navigate().refresh();
		mark();
	}

	public boolean wasNeverReloaded() {
		return Boolean.TRUE
			.equals(((JavascriptExecutor) this.driver).executeScript("return " + LOADED_ONCE + " === true"));
	}

	/**
	 * Read what the page shows now, in one script. The page replaces its whole catalogue
	 * every second (shop.js), so an element found before a replacement is stale after it:
	 * nothing here holds an element from one call to the next. A script runs between two
	 * of the page's own tasks, so the view it returns is one consistent state of the
	 * page.
	 * @return what the shopper sees
	 */
	public ShownCatalogue view() {
		Object read = ((JavascriptExecutor) this.driver).executeScript(READ_CATALOGUE, ShopPage.OUTAGE_NOTICE);
		if (!(read instanceof Map<?, ?> view)) {
			throw new IllegalStateException("The page has no #catalogue:\n" + pageSource());
		}
		Map<Long, ShownCatalogue.Card> cards = new LinkedHashMap<>();
		for (Object each : (List<?>) view.get("cards")) {
			Map<?, ?> card = (Map<?, ?>) each;
			cards.put(((Number) card.get("id")).longValue(), new ShownCatalogue.Card(
					Boolean.TRUE.equals(card.get("comingSoon")), Boolean.TRUE.equals(card.get("sizeSelector"))));
		}
		return new ShownCatalogue(Boolean.TRUE.equals(view.get("outageNotice")), cards);
	}

	public String pageSource() {
		return this.driver.getPageSource();
	}

	private void mark() {
		((JavascriptExecutor) this.driver).executeScript(LOADED_ONCE + " = true");
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
