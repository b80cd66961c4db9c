package dev.dbchaos.it.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.dbchaos.demo.ShopPage;
import dev.dbchaos.testdatabases.ContinuousIntegration;

/**
 * A shopper in a real headless Chromium, driven by Selenium through the machine's own
 * chromedriver. The driver and browser paths are always given, so Selenium Manager never
 * tries to download either (there is nothing to download them from in CI).
 * <p>
 * In CI ({@code CI=true}) a missing browser fails the scenario: the browser scenario may
 * not be skipped there. Elsewhere it is skipped, with a message naming what to install.
 */
public final class ShopperBrowser implements AutoCloseable {

	/**
	 * Driver and browser that belong together, first found wins: the environment's
	 * ({@code CHROMEDRIVER}, {@code CHROME_BIN}), Debian's {@code chromium} and
	 * {@code chromium-driver}, the Chrome that GitHub's runners ship with its driver
	 * ({@code CHROMEWEBDRIVER}), Ubuntu's {@code chromium-browser}.
	 */
	private static final List<String[]> CANDIDATES = List.of(
			new String[] { System.getenv("CHROMEDRIVER"), System.getenv("CHROME_BIN") },
			new String[] { "/usr/bin/chromedriver", "/usr/bin/chromium" },
			new String[] { (System.getenv("CHROMEWEBDRIVER") != null)
					? System.getenv("CHROMEWEBDRIVER") + "/chromedriver" : null, "/usr/bin/google-chrome" },
			new String[] { "/usr/bin/chromedriver", "/usr/bin/chromium-browser" });

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
		String[] found = CANDIDATES.stream()
			.filter((pair) -> executable(pair[0]) && executable(pair[1]))
			.findFirst()
			.orElse(null);
		if (found == null) {
			List<String> tried = new ArrayList<>();
			CANDIDATES.forEach((pair) -> tried.add(pair[0] + " + " + pair[1]));
			String message = "The shopper's browser scenario needs a headless Chromium and its driver, found none of "
					+ tried + ". Install them with: apt-get install chromium chromium-driver (.ci/run does),"
					+ " or set CHROMEDRIVER and CHROME_BIN.";
			if (ContinuousIntegration.isCi()) {
				throw new IllegalStateException(message + " In CI this scenario may not be skipped.");
			}
			System.err.println("\n!!!!!!!! SKIPPED: " + message + " !!!!!!!!\n");
			Assumptions.abort(message);
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(found[0]))
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(found[1]);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-dev-shm-usage");
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15));
		return new ShopperBrowser(driver);
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

	private static boolean executable(String path) {
		return path != null && !path.isBlank() && Files.isExecutable(Path.of(path));
	}

}
