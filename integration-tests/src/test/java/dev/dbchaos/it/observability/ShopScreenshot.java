package dev.dbchaos.it.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A picture of a page taken by headless Chromium, as a shopper's browser renders it.
 */
final class ShopScreenshot {

	private ShopScreenshot() {
	}

	/**
	 * Take a screenshot of {@code page} into {@code png}.
	 * @param workDirectory where Chromium may keep its profile and log
	 */
	static void take(URI page, Path png, Path workDirectory) {
		try {
			Files.createDirectories(png.toAbsolutePath().getParent());
			Files.createDirectories(workDirectory);
			Path log = workDirectory.resolve("chromium.log");
			Process chromium = new ProcessBuilder(List.of(chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
					"--disable-background-networking", "--disable-component-update", "--hide-scrollbars",
					"--user-data-dir=" + workDirectory.resolve("profile"), "--window-size=1280,560",
					// Lets the page's own script run (it polls the catalogue) before the
					// shot.
					"--virtual-time-budget=2000", "--screenshot=" + png.toAbsolutePath(), page.toString()))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
				chromium.destroyForcibly();
				throw new IllegalStateException("Chromium took over 60s to take a screenshot; see " + log);
			}
			if (chromium.exitValue() != 0 || !Files.isRegularFile(png)) {
				throw new IllegalStateException(
						"Chromium exited with " + chromium.exitValue() + " and no " + png + "; see " + log);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run Chromium (apt-get install chromium)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String chromium() {
		String configured = System.getenv("CHROMIUM_BIN");
		return (configured != null && !configured.isBlank()) ? configured : "chromium";
	}

}
