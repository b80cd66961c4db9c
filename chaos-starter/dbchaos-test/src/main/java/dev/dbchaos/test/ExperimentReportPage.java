package dev.dbchaos.test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.experiment.ExperimentReport.CheckReport;
import dev.dbchaos.experiment.ExperimentReport.CheckResult;
import dev.dbchaos.experiment.ExperimentReport.Sample;
import dev.dbchaos.experiment.ExperimentReport.StepReport;

/**
 * A game-day experiment's report as one self-contained HTML page: what ran and its
 * verdict; a chart of every checked quantity as it was sampled, once a second, with the
 * time each step's fault was in force shaded and an abort marked; and the steps and the
 * checks as tables. The page has no script and loads nothing (the chart is inline SVG,
 * the style inline CSS), so it opens as it is from a build's artifacts.
 * <p>
 * The chart's elements carry classes a test can find: {@code svg.timeline},
 * {@code rect.step} (one per step whose fault was added, {@code data-step} its index),
 * {@code line.abort}, and one {@code g.series} per quantity ({@code data-series} its
 * name) holding a {@code polyline} for a number or {@code rect.status} segments for a
 * health status.
 *
 * @since 0.1.0
 */
public final class ExperimentReportPage {

	private static final int WIDTH = 960;

	private static final int LEFT = 80;

	private static final int RIGHT = 24;

	/** Room above the first plot for the steps' labels. */
	private static final int TOP = 48;

	private static final int PLOT_HEIGHT = 80;

	private static final int GAP = 36;

	private static final int AXIS = 28;

	/** Tick spacings to choose from, so that the time axis has at most ten ticks. */
	private static final long[] TICK_SECONDS = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600 };

	private static final String STYLE = """
			body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1f2328; }
			h1 { font-size: 20px; margin: 0 0 4px; }
			.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: 600; }
			.passed { background: #1a7f37; } .failed, .aborted { background: #cf222e; }
			.refused { background: #6e7781; } .running { background: #9a6700; }
			dl { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; }
			dt { color: #656d76; } dd { margin: 0; }
			table { border-collapse: collapse; margin: 8px 0 20px; }
			th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
			th { background: #f6f8fa; }
			svg text { font: 11px system-ui, sans-serif; fill: #424a53; }
			""";

	/**
	 * Where {@code @DbChaosTest} writes the pages unless told otherwise.
	 */
	public static final String DEFAULT_DIRECTORY = "target/dbchaos-reports";

	private ExperimentReportPage() {
	}

	/**
	 * Return where {@code @DbChaosTest} writes the page of an experiment a test ran:
	 * {@code <directory>/<test class>/<test method>-<experiment id>.html}.
	 * @param directory the report directory, such as {@link #DEFAULT_DIRECTORY}
	 * @param testClass the test class
	 * @param testMethod the name of the test method
	 * @param experimentId the experiment's id
	 * @return the file
	 */
	public static Path fileFor(Path directory, Class<?> testClass, String testMethod, String experimentId) {
		return directory.resolve(testClass.getName()).resolve(testMethod + "-" + experimentId + ".html");
	}

	/**
	 * Write the page of a report.
	 * @param report the report
	 * @param file where to write it; its directory is created
	 * @return the file
	 * @throws IOException if it cannot be written
	 */
	public static Path write(ExperimentReport report, Path file) throws IOException {
		Path parent = file.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		return Files.writeString(file, render(report), StandardCharsets.UTF_8);
	}

	/**
	 * Render the page of a report.
	 * @param report the report
	 * @return the page, a whole HTML document
	 */
	public static String render(ExperimentReport report) {
		String verdict = (report.verdict() != null) ? report.verdict() : report.state();
		StringBuilder html = new StringBuilder();
		html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
			.append(escape(report.name()))
			.append(" · ")
			.append(escape(verdict))
			.append("</title>\n<style>\n")
			.append(STYLE)
			.append("</style>\n</head>\n<body>\n<h1>")
			.append(escape(report.name()))
			.append("</h1>\n<p><span class=\"verdict ")
			.append(escape(verdict))
			.append("\">")
			.append(escape(verdict))
			.append("</span></p>\n");
		summary(html, report);
		html.append("<h2>Timeline</h2>\n");
		new Timeline(report).render(html);
		steps(html, report);
		checks(html, report);
		html.append("</body>\n</html>\n");
		return html.toString();
	}

	private static void summary(StringBuilder html, ExperimentReport report) {
		html.append("<dl>\n");
		term(html, "id", report.id());
		term(html, "state", report.state());
		term(html, "verdict", (report.verdict() != null) ? report.verdict() : "(running)");
		term(html, "started", report.startedAt().toString());
		term(html, "ended", (report.endedAt() != null) ? report.endedAt().toString() : "(running)");
		if (report.endedAt() != null) {
			term(html, "took", seconds(Duration.between(report.startedAt(), report.endedAt())));
		}
		if (report.abortedBy() != null) {
			term(html, "aborted by", report.abortedBy().message());
		}
		html.append("</dl>\n");
	}

	private static void term(StringBuilder html, String term, String value) {
		html.append("<dt>").append(escape(term)).append("</dt><dd>").append(escape(value)).append("</dd>\n");
	}

	private static void steps(StringBuilder html, ExperimentReport report) {
		html.append("<h2>Steps</h2>\n<table class=\"steps\">\n<tr><th>#</th><th>at</th><th>fault</th><th>fault id</th>")
			.append("<th>added</th><th>ended</th><th>error</th></tr>\n");
		for (int i = 0; i < report.steps().size(); i++) {
			StepReport step = report.steps().get(i);
			row(html, String.valueOf(i), step.at(), step.type(), step.faultId(), offset(report, step.startedAt()),
					offset(report, step.endedAt()), step.error());
		}
		html.append("</table>\n");
	}

	private static void checks(StringBuilder html, ExperimentReport report) {
		html.append("<h2>Checks</h2>\n<table class=\"checks\">\n<tr><th>role</th><th>check</th><th>evaluations</th>")
			.append("<th>failures</th><th>first</th><th>last</th><th>first failure</th></tr>\n");
		for (CheckReport check : report.checks()) {
			row(html, check.role(), check.check(), String.valueOf(check.evaluations()),
					String.valueOf(check.failures()), result(report, check.first()), result(report, check.last()),
					result(report, check.firstFailure()));
		}
		html.append("</table>\n");
	}

	private static void row(StringBuilder html, @Nullable String... cells) {
		html.append("<tr>");
		for (String cell : cells) {
			html.append("<td>").append(escape((cell != null) ? cell : "")).append("</td>");
		}
		html.append("</tr>\n");
	}

	private static @Nullable String result(ExperimentReport report, @Nullable CheckResult result) {
		if (result == null) {
			return null;
		}
		return (result.holds() ? "holds" : "fails") + ": " + result.value() + " at " + offset(report, result.at());
	}

	private static @Nullable String offset(ExperimentReport report, @Nullable Instant at) {
		return (at != null) ? "+" + seconds(Duration.between(report.startedAt(), at)) : null;
	}

	private static String seconds(Duration duration) {
		return number(duration.toMillis() / 1000.0) + " s";
	}

	static String number(double value) {
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return String.valueOf((long) value);
		}
		return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
	}

	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	/**
	 * The chart: one plot per sampled quantity, stacked on one time axis.
	 */
	private static final class Timeline {

		private final ExperimentReport report;

		private final Map<String, List<Point>> series = new LinkedHashMap<>();

		private final Instant from;

		private final Instant to;

		Timeline(ExperimentReport report) {
			this.report = report;
			Instant last = (report.endedAt() != null) ? report.endedAt() : report.startedAt();
			Instant first = report.startedAt();
			for (Sample sample : report.samples()) {
				first = min(first, sample.at());
				last = max(last, sample.at());
				sample.values()
					.forEach((name, value) -> this.series.computeIfAbsent(name, (key) -> new ArrayList<>())
						.add(new Point(sample.at(), value)));
			}
			for (StepReport step : report.steps()) {
				if (step.endedAt() != null) {
					last = max(last, step.endedAt());
				}
			}
			this.from = first;
			this.to = last.isAfter(first) ? last : first.plusSeconds(1);
		}

		void render(StringBuilder html) {
			int plots = Math.max(this.series.size(), 1);
			int height = TOP + plots * (PLOT_HEIGHT + GAP) + AXIS;
			int bottom = TOP + plots * (PLOT_HEIGHT + GAP) - GAP;
			html.append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
				.append(WIDTH)
				.append("\" height=\"")
				.append(height)
				.append("\" viewBox=\"0 0 ")
				.append(WIDTH)
				.append(' ')
				.append(height)
				.append("\">\n");
			steps(html, bottom);
			int top = TOP;
			if (this.series.isEmpty()) {
				text(html, LEFT, top + PLOT_HEIGHT / 2, "start", "no check was sampled");
			}
			for (Map.Entry<String, List<Point>> entry : this.series.entrySet()) {
				plot(html, entry.getKey(), entry.getValue(), top);
				top += PLOT_HEIGHT + GAP;
			}
			axis(html, bottom);
			abort(html, bottom);
			html.append("</svg>\n");
		}

		private void steps(StringBuilder html, int bottom) {
			List<StepReport> steps = this.report.steps();
			for (int i = 0; i < steps.size(); i++) {
				StepReport step = steps.get(i);
				if (step.startedAt() == null) {
					continue;
				}
				Instant end = (step.endedAt() != null) ? step.endedAt() : this.to;
				double x1 = x(step.startedAt());
				double x2 = Math.max(x(end), x1 + 1);
				html.append("<rect class=\"step\" data-step=\"")
					.append(i)
					.append("\" x=\"")
					.append(coordinate(x1))
					.append("\" y=\"")
					.append(TOP - 36)
					.append("\" width=\"")
					.append(coordinate(x2 - x1))
					.append("\" height=\"")
					.append(bottom - TOP + 36)
					.append("\" fill=\"")
					.append((i % 2 == 0) ? "rgba(207,34,46,0.12)" : "rgba(154,103,0,0.14)")
					.append("\"><title>")
					.append(escape("steps[" + i + "] " + step.type() + " " + step.faultId()))
					.append("</title></rect>\n");
				text(html, x1 + 3, TOP - 24, "start", "steps[" + i + "] " + step.type());
			}
		}

		private void plot(StringBuilder html, String name, List<Point> points, int top) {
			html.append("<g class=\"series\" data-series=\"").append(escape(name)).append("\">\n");
			text(html, LEFT, top - 4, "start", name);
			html.append("<rect x=\"")
				.append(LEFT)
				.append("\" y=\"")
				.append(top)
				.append("\" width=\"")
				.append(WIDTH - LEFT - RIGHT)
				.append("\" height=\"")
				.append(PLOT_HEIGHT)
				.append("\" fill=\"none\" stroke=\"#d0d7de\"/>\n");
			if (points.stream().allMatch((point) -> point.value() instanceof Number)) {
				numbers(html, points, top);
			}
			else {
				statuses(html, points, top);
			}
			html.append("</g>\n");
		}

		private void numbers(StringBuilder html, List<Point> points, int top) {
			double max = points.stream().mapToDouble((point) -> ((Number) point.value()).doubleValue()).max().orElse(0);
			double scale = (max > 0) ? max : 1;
			text(html, LEFT - 6, top + 10, "end", number(scale));
			text(html, LEFT - 6, top + PLOT_HEIGHT, "end", "0");
			html.append("<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"");
			for (Point point : points) {
				double y = top + PLOT_HEIGHT - ((Number) point.value()).doubleValue() / scale * PLOT_HEIGHT;
				html.append(coordinate(x(point.at()))).append(',').append(coordinate(y)).append(' ');
			}
			html.setLength(html.length() - 1);
			html.append("\"/>\n");
		}

		private void statuses(StringBuilder html, List<Point> points, int top) {
			String shown = null;
			for (int i = 0; i < points.size(); i++) {
				Point point = points.get(i);
				Instant end = (i + 1 < points.size()) ? points.get(i + 1).at() : point.at().plusSeconds(1);
				String status = String.valueOf(point.value());
				double x1 = x(point.at());
				double x2 = Math.max(x(min(end, this.to)), x1 + 1);
				html.append("<rect class=\"status\" x=\"")
					.append(coordinate(x1))
					.append("\" y=\"")
					.append(top + PLOT_HEIGHT / 4)
					.append("\" width=\"")
					.append(coordinate(x2 - x1))
					.append("\" height=\"")
					.append(PLOT_HEIGHT / 2)
					.append("\" fill=\"")
					.append(status.equals("UP") ? "#2da44e" : "#cf222e")
					.append("\"><title>")
					.append(escape(status))
					.append("</title></rect>\n");
				if (!status.equals(shown)) {
					text(html, x1 + 2, top + PLOT_HEIGHT / 4 - 3, "start", status);
					shown = status;
				}
			}
		}

		private void axis(StringBuilder html, int bottom) {
			long span = Duration.between(this.from, this.to).toSeconds();
			long step = TICK_SECONDS[TICK_SECONDS.length - 1];
			for (long candidate : TICK_SECONDS) {
				if (span / candidate <= 10) {
					step = candidate;
					break;
				}
			}
			Instant start = this.report.startedAt();
			for (long second = 0; !start.plusSeconds(second).isAfter(this.to); second += step) {
				double x = x(start.plusSeconds(second));
				html.append("<line x1=\"")
					.append(coordinate(x))
					.append("\" x2=\"")
					.append(coordinate(x))
					.append("\" y1=\"")
					.append(bottom)
					.append("\" y2=\"")
					.append(bottom + 5)
					.append("\" stroke=\"#656d76\"/>\n");
				text(html, x, bottom + 18, "middle", "+" + second + " s");
			}
		}

		private void abort(StringBuilder html, int bottom) {
			if (this.report.abortedBy() == null || this.report.endedAt() == null) {
				return;
			}
			double x = x(this.report.endedAt());
			html.append("<line class=\"abort\" x1=\"")
				.append(coordinate(x))
				.append("\" x2=\"")
				.append(coordinate(x))
				.append("\" y1=\"")
				.append(TOP - 36)
				.append("\" y2=\"")
				.append(bottom)
				.append("\" stroke=\"#cf222e\" stroke-width=\"2\" stroke-dasharray=\"6 3\"><title>")
				.append(escape(this.report.abortedBy().message()))
				.append("</title></line>\n");
			text(html, x - 4, bottom - 4, "end", "aborted: " + this.report.abortedBy().message());
		}

		private double x(Instant at) {
			double span = Duration.between(this.from, this.to).toMillis();
			double offset = Duration.between(this.from, at).toMillis();
			return LEFT + offset / span * (WIDTH - LEFT - RIGHT);
		}

		private static void text(StringBuilder html, double x, double y, String anchor, String text) {
			html.append("<text x=\"")
				.append(coordinate(x))
				.append("\" y=\"")
				.append(coordinate(y))
				.append("\" text-anchor=\"")
				.append(anchor)
				.append("\">")
				.append(escape(text))
				.append("</text>\n");
		}

		private static String coordinate(double value) {
			return String.format(Locale.ROOT, "%.1f", value);
		}

		private static Instant min(Instant a, Instant b) {
			return a.isBefore(b) ? a : b;
		}

		private static Instant max(Instant a, Instant b) {
			return a.isAfter(b) ? a : b;
		}

	}

	private record Point(Instant at, Object value) {

	}

}
