package dev.dbchaos.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Writes the results table (Markdown) and the overhead chart (PNG) of a JMH JSON result
 * file. Every figure is relative to the {@code raw} variant of the same benchmark in the
 * same file, because only numbers measured side by side in one run compare fairly on a
 * shared machine.
 * <p>
 * {@code java -cp benchmarks.jar dev.dbchaos.benchmarks.report.Report results.json table.md chart.png}
 */
public final class Report {

	private static final String BASELINE = "raw";

	private static final Color[] VARIANT_COLORS = { new Color(0x7f7f7f), new Color(0x2e7d32), new Color(0x81c784),
			new Color(0xc5e1a5), new Color(0x1565c0), new Color(0xef6c00) };

	private static final int WIDTH = 1200;

	private static final int BAR_HEIGHT = 22;

	private static final int LABEL_WIDTH = 170;

	private Report() {
	}

	/**
	 * Write the table and the chart.
	 * @param args the JMH JSON file, the Markdown file and the PNG file to write
	 * @throws IOException on failure to read or write
	 */
	public static void main(String[] args) throws IOException {
		if (args.length != 3) {
			System.err.println("Usage: Report <jmh-result.json> <table.md> <chart.png>");
			System.exit(2);
		}
		// Drawing needs no display: keep AWT off any X server.
		System.setProperty("java.awt.headless", "true");
		List<BenchmarkResult> results = BenchmarkResult.parse(Files.readString(Path.of(args[0])));
		Files.writeString(Path.of(args[1]), table(results));
		ImageIO.write(chart(results), "png", Path.of(args[2]).toFile());
	}

	/**
	 * Group results by benchmark and mode, in file order.
	 * @param results the results
	 * @return the groups
	 */
	static Map<String, List<BenchmarkResult>> byBenchmark(List<BenchmarkResult> results) {
		Map<String, List<BenchmarkResult>> groups = new LinkedHashMap<>();
		for (BenchmarkResult result : results) {
			groups.computeIfAbsent(result.shortName() + " (" + result.mode() + ")", (key) -> new ArrayList<>())
				.add(result);
		}
		return groups;
	}

	private static BenchmarkResult baseline(List<BenchmarkResult> group) {
		return group.stream().filter((result) -> BASELINE.equals(result.variant())).findFirst().orElse(null);
	}

	/**
	 * Return how many times slower than raw a result is: 1.00 is as fast as raw.
	 * @param result the result
	 * @param raw the raw result of the same benchmark
	 * @return the ratio
	 */
	static double slowdown(BenchmarkResult result, BenchmarkResult raw) {
		return result.higherIsBetter() ? raw.score() / result.score() : result.score() / raw.score();
	}

	/**
	 * Render the Markdown table.
	 * @param results the results
	 * @return the table
	 */
	static String table(List<BenchmarkResult> results) {
		StringBuilder table = new StringBuilder();
		table.append("| benchmark | variant | score | vs raw | Δ time/op | alloc B/op | Δ B/op |\n");
		table.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
		byBenchmark(results).forEach((name, group) -> {
			BenchmarkResult raw = baseline(group);
			for (BenchmarkResult result : group) {
				table.append("| ").append(name).append(" | ").append(result.variant()).append(" | ");
				table.append(scoreCell(result)).append(" | ");
				if (raw != null) {
					double ratio = slowdown(result, raw);
					table.append(format("%.3f× (%+.1f%%)", ratio, (ratio - 1) * 100)).append(" | ");
					table.append(timeDelta(result, raw)).append(" | ");
				}
				else {
					table.append("– | – | ");
				}
				table.append(Double.isNaN(result.bytesPerOp()) ? "–" : format("%.0f", result.bytesPerOp()));
				table.append(" | ");
				table.append((raw == null || Double.isNaN(result.bytesPerOp())) ? "–"
						: format("%+.0f", result.bytesPerOp() - raw.bytesPerOp()));
				table.append(" |\n");
			}
		});
		return table.toString();
	}

	/**
	 * Return a result's score as the table shows it, with its error and unit, without the
	 * percentiles of sample mode.
	 * @param result the result
	 * @return the score, e.g. {@code 567 ± 42.84 ns/op}
	 */
	static String score(BenchmarkResult result) {
		String error = Double.isNaN(result.error()) ? "" : format(" ± %s", number(result.error()));
		return number(result.score()) + error + " " + result.unit();
	}

	private static String scoreCell(BenchmarkResult result) {
		String score = score(result);
		if ("sample".equals(result.mode())) {
			// One thread, so throughput is the inverse of the mean time.
			double opsPerSecond = perSecond(result.unit()) / result.score();
			score += format(" (p50 %s, p99 %s; %,.0f ops/s)", number(result.p50()), number(result.p99()), opsPerSecond);
		}
		return score;
	}

	private static String timeDelta(BenchmarkResult result, BenchmarkResult raw) {
		if (result.higherIsBetter()) {
			return "–";
		}
		return format("%+.1f %s", result.score() - raw.score(), result.unit().replace("/op", ""));
	}

	private static double perSecond(String unit) {
		return switch (unit) {
			case "ns/op" -> 1e9;
			case "us/op" -> 1e6;
			case "ms/op" -> 1e3;
			default -> 1;
		};
	}

	/**
	 * Format a number as the table does: whole from 100 up, else with two decimals.
	 * @param value the number
	 * @return the text
	 */
	static String number(double value) {
		if (Double.isNaN(value)) {
			return "NaN";
		}
		return (Math.abs(value) >= 100) ? format("%,.0f", value) : format("%.2f", value);
	}

	/**
	 * Draw the chart: one panel per benchmark, one bar per variant, the bar's length its
	 * time per operation relative to raw, so 1.0 is free and everything past it is
	 * overhead.
	 * @param results the results
	 * @return the image
	 */
	static BufferedImage chart(List<BenchmarkResult> results) {
		Map<String, List<BenchmarkResult>> groups = byBenchmark(results);
		List<String> variants = new ArrayList<>();
		results.forEach((result) -> {
			if (!variants.contains(result.variant())) {
				variants.add(result.variant());
			}
		});
		int panelHeight = 34 + variants.size() * (BAR_HEIGHT + 4) + 12;
		int height = 90 + groups.size() * panelHeight + 20;
		BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, WIDTH, height);
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
		g.drawString("dbchaos beneath HikariCP: time per operation relative to raw HikariCP", 20, 32);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
		g.drawString("1.00× = no overhead (dashed line); shorter is better. Whiskers: JMH 99.9% error. "
				+ "Same JMH run, one fork per variant.", 20, 56);
		int y = 90;
		for (Map.Entry<String, List<BenchmarkResult>> group : groups.entrySet()) {
			drawPanel(g, group.getKey(), group.getValue(), variants, y);
			y += panelHeight;
		}
		g.dispose();
		return image;
	}

	private static void drawPanel(Graphics2D g, String name, List<BenchmarkResult> group, List<String> variants,
			int top) {
		BenchmarkResult raw = baseline(group);
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
		String title = name + ((raw != null) ? "   raw = " + number(raw.score()) + " " + raw.unit() : "");
		g.drawString(title, 20, top + 18);
		if (raw == null) {
			return;
		}
		double max = 1.0;
		for (BenchmarkResult result : group) {
			max = Math.max(max, slowdown(result, raw));
		}
		// Leave room right of the longest bar for its label.
		int plotLeft = 20 + LABEL_WIDTH;
		int plotWidth = WIDTH - plotLeft - 200;
		double scale = plotWidth / (max * 1.05);
		int barsTop = top + 30;
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		FontMetrics metrics = g.getFontMetrics();
		for (BenchmarkResult result : group) {
			int index = variants.indexOf(result.variant());
			int barTop = barsTop + index * (BAR_HEIGHT + 4);
			double ratio = slowdown(result, raw);
			int length = (int) Math.round(ratio * scale);
			g.setColor(Color.BLACK);
			g.drawString(result.variant(), plotLeft - 10 - metrics.stringWidth(result.variant()),
					barTop + BAR_HEIGHT - 6);
			g.setColor(VARIANT_COLORS[index % VARIANT_COLORS.length]);
			g.fillRect(plotLeft, barTop, length, BAR_HEIGHT);
			int labelLeft = plotLeft + length + 6;
			if (!Double.isNaN(result.error()) && !result.higherIsBetter()) {
				// The whisker spans JMH's 99.9% error: a bar whose whisker crosses 1.00×
				// is noise.
				int low = plotLeft
						+ (int) Math.round(Math.max(0, result.score() - result.error()) / raw.score() * scale);
				int high = Math.min(plotLeft + plotWidth + 60,
						plotLeft + (int) Math.round((result.score() + result.error()) / raw.score() * scale));
				int middle = barTop + BAR_HEIGHT / 2;
				g.setColor(Color.BLACK);
				g.drawLine(low, middle, high, middle);
				g.drawLine(low, middle - 4, low, middle + 4);
				g.drawLine(high, middle - 4, high, middle + 4);
				labelLeft = Math.max(labelLeft, high + 6);
			}
			g.setColor(Color.BLACK);
			g.drawString(format("%.2f×", ratio), labelLeft, barTop + BAR_HEIGHT - 6);
		}
		int one = plotLeft + (int) Math.round(scale);
		int bottom = barsTop + variants.size() * (BAR_HEIGHT + 4);
		g.setColor(new Color(0xc62828));
		g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 5, 4 }, 0));
		g.drawLine(one, barsTop - 4, one, bottom);
		g.setStroke(new BasicStroke(1));
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
