package dev.dbchaos.it.observability;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.DoubleFunction;

import javax.imageio.ImageIO;

/**
 * Draws the outage drill as stacked time charts sharing one time axis, with the periods
 * where faults were in force shaded across all of them. JDK only ({@code java.awt},
 * headless), so the figure can be redrawn wherever the test runs.
 */
final class OutageDrillChart {

	private static final int WIDTH = 1400;

	private static final int LEFT = 110;

	private static final int RIGHT = WIDTH - 300;

	private static final int HEADER = 104;

	private static final int PLOT_HEIGHT = 170;

	private static final int GAP = 46;

	private static final Color[] PALETTE = { new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
			new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf) };

	private static final Color[] BAND_COLOURS = { new Color(255, 200, 60, 60), new Color(230, 60, 60, 45) };

	private OutageDrillChart() {
	}

	/**
	 * Render the drill into a PNG file.
	 */
	static void render(Drill drill, Path png) {
		// Build machines have no display; Spring Boot sets this too, but the chart needs
		// no Spring.
		System.setProperty("java.awt.headless", "true");
		int height = HEADER + drill.plots().size() * (PLOT_HEIGHT + GAP) + 40;
		BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, WIDTH, height);
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
			g.drawString(drill.title(), LEFT, 32);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
			g.setColor(Color.DARK_GRAY);
			int line = 56;
			for (String subtitle : drill.subtitle().split("\n")) {
				g.drawString(subtitle, LEFT, line);
				line += 18;
			}
			int top = HEADER;
			for (int i = 0; i < drill.plots().size(); i++) {
				drawPlot(g, drill, drill.plots().get(i), top, i == 0, i == drill.plots().size() - 1);
				top += PLOT_HEIGHT + GAP;
			}
		}
		finally {
			g.dispose();
		}
		try {
			Files.createDirectories(png.toAbsolutePath().getParent());
			ImageIO.write(image, "png", png.toFile());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void drawPlot(Graphics2D g, Drill drill, Plot plot, int top, boolean first, boolean last) {
		int bottom = top + PLOT_HEIGHT;
		double seconds = Duration.between(drill.start(), drill.end()).toMillis() / 1000.0;
		// Fault periods first, so that lines are drawn over them.
		for (int i = 0; i < drill.faults().size(); i++) {
			Band band = drill.faults().get(i);
			int from = x(drill, band.from(), seconds);
			int to = x(drill, band.to(), seconds);
			g.setColor(BAND_COLOURS[i % BAND_COLOURS.length]);
			g.fillRect(from, top, Math.max(1, to - from), PLOT_HEIGHT);
			if (first) {
				g.setColor(new Color(120, 60, 0));
				g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
				g.drawString(band.label(), from + 4, top - 6);
			}
		}
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		g.drawString(plot.title(), RIGHT + 16, top + 14);

		double max = (plot.fixedMax() > 0) ? plot.fixedMax()
				: niceCeiling(plot.lines()
					.stream()
					.flatMap((line) -> line.samples().stream())
					.mapToDouble(Series.Sample::value)
					.filter(Double::isFinite)
					.max()
					.orElse(1));
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		FontMetrics metrics = g.getFontMetrics();
		int ticks = plot.ticks();
		for (int t = 0; t <= ticks; t++) {
			double value = max * t / ticks;
			int y = y(value, max, top, bottom);
			g.setColor(new Color(225, 225, 225));
			g.drawLine(LEFT, y, RIGHT, y);
			g.setColor(Color.DARK_GRAY);
			String label = plot.format().apply(value);
			g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + 4);
		}
		g.setColor(Color.GRAY);
		g.drawRect(LEFT, top, RIGHT - LEFT, PLOT_HEIGHT);

		int legendY = top + 36;
		for (int i = 0; i < plot.lines().size(); i++) {
			Line line = plot.lines().get(i);
			Color colour = PALETTE[i % PALETTE.length];
			g.setColor(colour);
			g.setStroke(new BasicStroke(2.2f));
			g.draw(path(drill, line, max, top, bottom, seconds, plot.stepped()));
			g.setStroke(new BasicStroke(1f));
			g.fillRect(RIGHT + 16, legendY - 9, 14, 10);
			g.setColor(Color.BLACK);
			g.drawString(line.name(), RIGHT + 36, legendY);
			legendY += 18;
		}

		g.setColor(Color.DARK_GRAY);
		for (int s = 0; s <= seconds; s += 10) {
			int x = LEFT + (int) Math.round((RIGHT - LEFT) * s / seconds);
			g.drawLine(x, bottom, x, bottom + 4);
			String label = s + " s";
			g.drawString(label, x - metrics.stringWidth(label) / 2, bottom + 18);
		}
		if (last) {
			g.drawString("time since the drill started", LEFT + (RIGHT - LEFT) / 2 - 70, bottom + 36);
		}
	}

	private static Path2D path(Drill drill, Line line, double max, int top, int bottom, double seconds,
			boolean stepped) {
		Path2D path = new Path2D.Double();
		boolean drawing = false;
		double previousY = 0;
		for (Series.Sample sample : line.samples()) {
			if (!Double.isFinite(sample.value())) {
				// No value (0/0): a gap, as Grafana draws it.
				drawing = false;
				continue;
			}
			double x = x(drill, sample.time(), seconds);
			double y = y(Math.min(sample.value(), max), max, top, bottom);
			if (!drawing) {
				path.moveTo(x, y);
				drawing = true;
			}
			else {
				if (stepped) {
					path.lineTo(x, previousY);
				}
				path.lineTo(x, y);
			}
			previousY = y;
		}
		return path;
	}

	private static int x(Drill drill, Instant time, double seconds) {
		double offset = Duration.between(drill.start(), time).toMillis() / 1000.0;
		return LEFT + (int) Math.round((RIGHT - LEFT) * Math.max(0, Math.min(seconds, offset)) / seconds);
	}

	private static int y(double value, double max, int top, int bottom) {
		return bottom - (int) Math.round((bottom - top) * value / max);
	}

	/** 1, 2 or 5 times a power of ten, at least {@code value}. */
	static double niceCeiling(double value) {
		if (value <= 0) {
			return 1;
		}
		double power = Math.pow(10, Math.floor(Math.log10(value)));
		for (double factor : new double[] { 1, 2, 5, 10 }) {
			if (factor * power >= value) {
				return factor * power;
			}
		}
		return 10 * power;
	}

	/**
	 * What to draw.
	 *
	 * @param title the figure's title
	 * @param subtitle lines under it, separated by {@code \n}: where the data comes from
	 * @param start left end of the time axis
	 * @param end right end of the time axis
	 * @param faults periods shaded across all plots
	 * @param plots the charts, top to bottom
	 */
	record Drill(String title, String subtitle, Instant start, Instant end, List<Band> faults, List<Plot> plots) {
	}

	/**
	 * A shaded period.
	 *
	 * @param label its name, written above the first plot
	 * @param from start
	 * @param to end
	 */
	record Band(String label, Instant from, Instant to) {
	}

	/**
	 * One chart.
	 *
	 * @param title its title, above the legend
	 * @param lines the series
	 * @param format how to write values on the y axis
	 * @param fixedMax the top of the y axis, or 0 to fit the data
	 * @param ticks how many intervals the y axis is divided in
	 * @param stepped whether values hold until the next sample (states, gauges)
	 */
	record Plot(String title, List<Line> lines, DoubleFunction<String> format, double fixedMax, int ticks,
			boolean stepped) {
	}

	/**
	 * A named series.
	 *
	 * @param name the legend
	 * @param samples the samples, oldest first
	 */
	record Line(String name, List<Series.Sample> samples) {
	}

}
