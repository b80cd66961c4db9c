package dev.dbchaos.it.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.dbchaos.testdatabases.ContinuousIntegration;

/**
 * A real headless Chromium, driven by Selenium through the machine's own chromedriver.
 * The driver and browser paths are always given, so Selenium Manager never tries to
 * download either (there is nothing to download them from in CI).
 * <p>
 * In CI ({@code CI=true}) a missing browser fails the test: a browser scenario may not be
 * skipped there. Elsewhere it is skipped, with a message naming what to install.
 */
public final class HeadlessChromium {

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

	private HeadlessChromium() {
	}

	/**
	 * Start the browser, or skip (outside CI) or fail (in CI) when it is not installed.
	 * @param scenario what needs the browser, for the message, such as
	 * {@code "The shopper's browser scenario"}
	 * @return the driver; quit it when done
	 */
	public static ChromeDriver start(String scenario) {
		String[] found = CANDIDATES.stream()
			.filter((pair) -> executable(pair[0]) && executable(pair[1]))
			.findFirst()
			.orElse(null);
		if (found == null) {
			List<String> tried = new ArrayList<>();
			CANDIDATES.forEach((pair) -> tried.add(pair[0] + " + " + pair[1]));
			String message = scenario + " needs a headless Chromium and its driver, found none of " + tried
					+ ". Install them with: apt-get install chromium chromium-driver (.ci/run does),"
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
		return driver;
	}

	private static boolean executable(String path) {
		return path != null && !path.isBlank() && Files.isExecutable(Path.of(path));
	}

}
