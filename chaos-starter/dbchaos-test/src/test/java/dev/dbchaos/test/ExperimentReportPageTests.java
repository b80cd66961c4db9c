package dev.dbchaos.test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.experiment.ExperimentReport.AbortedBy;
import dev.dbchaos.experiment.ExperimentReport.CheckReport;
import dev.dbchaos.experiment.ExperimentReport.CheckResult;
import dev.dbchaos.experiment.ExperimentReport.Sample;
import dev.dbchaos.experiment.ExperimentReport.StepReport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExperimentReportPage}. The chart is read back as XML, which also
 * proves the inline SVG well-formed.
 */
class ExperimentReportPageTests {

	private static final Instant START = Instant.parse("2026-12-03T06:00:00Z");

	private static final String ERRORS = "meter http.server.requests{outcome=SERVER_ERROR} <= 5.0 over PT10S";

	private static final String READINESS = "health readiness is UP";

	@TempDir
	Path directory;

	@Test
	void aGuardAbortIsMarkedWhereTheExperimentEnded() throws Exception {
		ExperimentReport report = aborted();
		Element abort = single(svg(report), "line", "abort");
		// The axis runs from the start (x 80) to the end, 20 s later (x 936).
		assertThat(abort.getAttribute("x1")).isEqualTo("936.0");
		assertThat(abort.getTextContent()).isEqualTo(report.abortedBy().message());
		assertThat(ExperimentReportPage.render(report)).contains("<span class=\"verdict aborted\">aborted</span>")
			.contains("<dt>aborted by</dt><dd>guard " + escaped(ERRORS) + " failed: observed 7.5</dd>");
	}

	@Test
	void eachStepWhoseFaultWasAddedIsShadedFromItsStartToItsEnd() throws Exception {
		List<Element> steps = all(svg(aborted()), "rect", "step");
		assertThat(steps).hasSize(2);
		// steps[0]: 0 s to 10 s; steps[1]: 10 s until the abort at 20 s.
		assertThat(steps.get(0).getAttribute("data-step")).isEqualTo("0");
		assertThat(steps.get(0).getAttribute("x")).isEqualTo("80.0");
		assertThat(steps.get(0).getAttribute("width")).isEqualTo("428.0");
		assertThat(steps.get(1).getAttribute("x")).isEqualTo("508.0");
		assertThat(steps.get(1).getAttribute("width")).isEqualTo("428.0");
	}

	@Test
	void aStepThatAddedNoFaultIsNotShaded() throws Exception {
		ExperimentReport aborted = aborted();
		List<StepReport> steps = new ArrayList<>(aborted.steps());
		steps.set(1, new StepReport("PT10S", "read-only", null, null, null, "the id is taken"));
		ExperimentReport report = new ExperimentReport(aborted.id(), aborted.name(), aborted.state(), aborted.verdict(),
				aborted.startedAt(), aborted.endedAt(), aborted.abortedBy(), steps, aborted.checks(),
				aborted.samples());
		assertThat(all(svg(report), "rect", "step")).extracting((step) -> step.getAttribute("data-step"))
			.containsExactly("0");
		assertThat(ExperimentReportPage.render(report)).contains("<td>the id is taken</td>");
	}

	@Test
	void aNumberIsPlottedAsALineScaledToItsMaximum() throws Exception {
		Element errors = series(svg(aborted()), ERRORS);
		Element line = (Element) errors.getElementsByTagName("polyline").item(0);
		// One point a second: 0, 0, …, 7.5 at 20 s; the top of the plot (y 48) is 7.5.
		String[] points = line.getAttribute("points").split(" ");
		assertThat(points).hasSize(21);
		assertThat(points[0]).isEqualTo("80.0,128.0");
		assertThat(points[20]).isEqualTo("936.0,48.0");
		assertThat(errors.getTextContent()).contains("7.5");
	}

	@Test
	void aHealthStatusIsShownAsColouredSegmentsNamedByTheirStatus() throws Exception {
		List<Element> segments = all(series(svg(aborted()), READINESS), "rect", "status");
		assertThat(segments).hasSize(21);
		assertThat(segments).extracting(Element::getTextContent).containsOnly("UP", "OUT_OF_SERVICE");
		assertThat(segments.get(15).getAttribute("fill")).isEqualTo("#cf222e");
		assertThat(segments.get(0).getAttribute("fill")).isEqualTo("#2da44e");
	}

	@Test
	void namesAreEscaped() throws Exception {
		ExperimentReport report = new ExperimentReport("x1", "<script>alert('&')</script>", "running", null, START,
				null, null, List.of(), List.of(), List.of(new Sample(START, Map.of("a<b & \"c\"", 1))));
		String page = ExperimentReportPage.render(report);
		assertThat(page).doesNotContain("<script>")
			.contains("&lt;script&gt;alert(&#39;&amp;&#39;)&lt;/script&gt;")
			.contains("data-series=\"a&lt;b &amp; &quot;c&quot;\"");
		assertThat(series(svg(report), "a<b & \"c\"")).isNotNull();
	}

	@Test
	void aRunningExperimentHasNoVerdictAndNoAbortYet() throws Exception {
		ExperimentReport report = new ExperimentReport("x1", "drill", "running", null, START, null, null,
				List.of(new StepReport("PT0S", "outage", "f1", START, null, null)), List.of(), List.of());
		String page = ExperimentReportPage.render(report);
		assertThat(page).contains("<span class=\"verdict running\">running</span>")
			.contains("<dt>ended</dt><dd>(running)</dd>")
			.contains("no check was sampled");
		assertThat(all(svg(report), "line", "abort")).isEmpty();
		assertThat(all(svg(report), "rect", "step")).hasSize(1);
	}

	@Test
	void thePageIsWrittenWithItsDirectories() throws IOException {
		Path file = ExperimentReportPage.write(aborted(), this.directory.resolve("a/b/drill.html"));
		assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
	}

	@Test
	void thePageLoadsNothingFromElsewhere() {
		assertThat(ExperimentReportPage.render(aborted())).doesNotContain("<script")
			.doesNotContain("<link")
			.doesNotContain("src=")
			.doesNotContain("href=")
			.doesNotContain("url(");
	}

	/**
	 * A failover drill whose 5xx guard fails 20 s in: an outage from 0 s to 10 s, then
	 * read-only from 10 s until the abort; readiness out of service from 12 s to 17 s.
	 */
	private static ExperimentReport aborted() {
		List<Sample> samples = new ArrayList<>();
		for (int second = 0; second <= 20; second++) {
			double errors = (second == 20) ? 7.5 : 0;
			String readiness = (second >= 12 && second < 17) ? "OUT_OF_SERVICE" : "UP";
			Map<String, Object> values = new LinkedHashMap<>();
			values.put(ERRORS, errors);
			values.put(READINESS, readiness);
			samples.add(new Sample(START.plusSeconds(second), values));
		}
		Instant end = START.plusSeconds(20);
		CheckResult failed = new CheckResult(end, false, 7.5);
		return new ExperimentReport("e1", "checkout survives a database failover", "aborted", "aborted", START, end,
				new AbortedBy("guard", ERRORS, 7.5, null, "guard " + ERRORS + " failed: observed 7.5"),
				List.of(new StepReport("PT0S", "outage", "f1", START, START.plusSeconds(10), null),
						new StepReport("PT10S", "read-only", "f2", START.plusSeconds(10), end, null)),
				List.of(new CheckReport("guard", ERRORS, 40, 1, new CheckResult(START, true, 0), failed, failed)),
				samples);
	}

	private static String escaped(String text) {
		return ExperimentReportPage.escape(text);
	}

	private static Document svg(ExperimentReport report) throws Exception {
		String page = ExperimentReportPage.render(report);
		String svg = page.substring(page.indexOf("<svg"), page.indexOf("</svg>") + "</svg>".length());
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
	}

	private static Element series(Document svg, String name) {
		return all(svg, "g", "series").stream()
			.filter((group) -> group.getAttribute("data-series").equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no series " + name));
	}

	private static Element single(Document svg, String tag, String type) {
		List<Element> found = all(svg, tag, type);
		assertThat(found).hasSize(1);
		return found.get(0);
	}

	private static List<Element> all(Document svg, String tag, String type) {
		return all(svg.getDocumentElement(), tag, type);
	}

	private static List<Element> all(Element root, String tag, String type) {
		NodeList nodes = root.getElementsByTagName(tag);
		List<Element> found = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			Element element = (Element) nodes.item(i);
			if (element.getAttribute("class").equals(type)) {
				found.add(element);
			}
		}
		return found;
	}

}
