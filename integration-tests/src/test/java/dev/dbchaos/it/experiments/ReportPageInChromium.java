package dev.dbchaos.it.experiments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.dbchaos.it.support.HeadlessChromium;

/**
 * An experiment's report page ({@code ExperimentReportPage}) as headless Chromium lays it
 * out: where the chart's step bands, abort marker and plots are on the screen, read in
 * one script. A screenshot is left next to the page.
 */
final class ReportPageInChromium {

	private static final String READ_LAYOUT = """
			const svg = document.querySelector('svg.timeline');
			if (!svg) { return null; }
			const chart = svg.getBoundingClientRect();
			const left = (element) => element.getBoundingClientRect().left - chart.left;
			const abort = svg.querySelector('line.abort');
			return {
			  verdict: document.querySelector('.verdict').textContent,
			  width: chart.width,
			  height: chart.height,
			  steps: Array.from(svg.querySelectorAll('rect.step')).map((band) => ({
			    step: Number(band.dataset.step), left: left(band), width: band.getBoundingClientRect().width })),
			  abort: abort ? left(abort) : null,
			  series: Array.from(svg.querySelectorAll('g.series')).map((plot) => ({
			    name: plot.dataset.series,
			    points: plot.querySelector('polyline') ? plot.querySelector('polyline').points.length : 0,
			    statuses: plot.querySelectorAll('rect.status').length }))
			};
			""";

	private ReportPageInChromium() {
	}

	/**
	 * Open the page and read its layout.
	 * @param page the page's file
	 * @return the layout
	 */
	@SuppressWarnings("unchecked")
	static Layout open(Path page) throws Exception {
		ChromeDriver chromium = HeadlessChromium.start("The experiment report page check");
		try {
			chromium.manage().window().setSize(new Dimension(1100, 900));
			chromium.get(page.toAbsolutePath().toUri().toString());
			Map<String, Object> layout = (Map<String, Object>) chromium.executeScript(READ_LAYOUT);
			Path screenshot = chromium.getScreenshotAs(OutputType.FILE).toPath();
			Files.copy(screenshot, Path.of(page.toString().replaceAll("\\.html$", ".png")),
					StandardCopyOption.REPLACE_EXISTING);
			if (layout == null) {
				throw new AssertionError("No svg.timeline on " + page);
			}
			List<Map<String, Object>> steps = (List<Map<String, Object>>) layout.get("steps");
			List<Map<String, Object>> series = (List<Map<String, Object>>) layout.get("series");
			return new Layout((String) layout.get("verdict"), number(layout.get("width")), number(layout.get("height")),
					steps.stream()
						.map((band) -> new Band((int) number(band.get("step")), number(band.get("left")),
								number(band.get("width"))))
						.toList(),
					(layout.get("abort") != null) ? number(layout.get("abort")) : null,
					series.stream()
						.map((plot) -> new Plot((String) plot.get("name"), (int) number(plot.get("points")),
								(int) number(plot.get("statuses"))))
						.toList());
		}
		finally {
			chromium.quit();
		}
	}

	private static double number(Object value) {
		return ((Number) value).doubleValue();
	}

	/**
	 * The page as laid out.
	 *
	 * @param verdict the verdict badge's text
	 * @param width the chart's width in CSS pixels
	 * @param height the chart's height
	 * @param steps the shaded step bands
	 * @param abort where the abort marker is, from the chart's left edge, or {@code null}
	 * @param series the plots
	 */
	record Layout(String verdict, double width, double height, List<Band> steps, Double abort, List<Plot> series) {

	}

	record Band(int step, double left, double width) {

	}

	record Plot(String name, int points, int statuses) {

	}

}
