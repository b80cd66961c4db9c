package dev.dbchaos.benchmarks.report;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The figures {@link BenchmarksPage} quotes from JMH result files: a score, the
 * difference or ratio of two variants of one benchmark in one run, and verdicts on them.
 * Numbers are formatted as {@link Report}'s table formats them, so that text and table
 * agree.
 */
final class JmhFigures {

	/** How many arguments each figure takes, besides a statistic. */
	private static final Map<String, Integer> ARITY = Map.of("score", 3, "value", 3, "delta", 4, "ratio", 4, "atMost",
			5, "faster", 4);

	private final Function<String, String> files;

	private final Map<String, List<BenchmarkResult>> runs = new HashMap<>();

	/**
	 * Create an instance.
	 * @param files reads a results file by name
	 */
	JmhFigures(Function<String, String> files) {
		this.files = files;
	}

	/**
	 * Return the results of a JMH JSON file, read once.
	 * @param file the file's name
	 * @return its results
	 */
	List<BenchmarkResult> run(String file) {
		return this.runs.computeIfAbsent(file, (name) -> BenchmarkResult.parse(this.files.apply(name)));
	}

	/**
	 * Return a figure, as {@link BenchmarksPage} describes them.
	 * @param name the figure: {@code score}, {@code value}, {@code delta}, {@code ratio},
	 * {@code atMost} or {@code faster}
	 * @param args its arguments
	 * @return the figure's text
	 */
	String figure(String name, List<String> args) {
		Integer arity = ARITY.get(name);
		if (arity == null) {
			throw new IllegalArgumentException("unknown directive '" + name + "'");
		}
		boolean takesStat = !name.equals("score") && !name.equals("faster");
		if (args.size() != arity && (!takesStat || args.size() != arity + 1)) {
			throw new IllegalArgumentException(
					name + " takes " + arity + " arguments" + (takesStat ? " and a STAT" : ""));
		}
		String stat = (args.size() > arity) ? args.get(arity) : "score";
		return switch (name) {
			case "score" -> Report.score(result(args, 2));
			case "value" -> Report.number(stat(result(args, 2), stat));
			case "delta" -> delta(result(args, 2), result(args, 3), stat);
			case "ratio" -> ratio(result(args, 2), result(args, 3), stat);
			case "atMost" -> verdict(args.subList(1, 5),
					(result, base) -> stat(result, stat) - stat(base, stat) <= Double.parseDouble(args.get(0)));
			default -> verdict(args, (result, reference) -> Report.slowdown(result, reference) < 1);
		};
	}

	private BenchmarkResult result(List<String> args, int variant) {
		return result(args.get(0), args.get(1), args.get(variant));
	}

	private BenchmarkResult result(String file, String benchmark, String variant) {
		List<BenchmarkResult> matches = run(file).stream()
			.filter((result) -> result.shortName().equals(benchmark) && result.variant().equals(variant))
			.toList();
		if (matches.size() != 1) {
			throw new IllegalArgumentException(matches.size() + " results of " + benchmark + " for variant " + variant
					+ " in " + file + ", not one");
		}
		return matches.get(0);
	}

	private static double stat(BenchmarkResult result, String stat) {
		double value = switch (stat) {
			case "score" -> result.score();
			case "error" -> result.error();
			case "p50" -> result.p50();
			case "p99" -> result.p99();
			case "bytes" -> result.bytesPerOp();
			default -> throw new IllegalArgumentException("unknown statistic '" + stat + "'");
		};
		if (Double.isNaN(value)) {
			throw new IllegalArgumentException("no " + stat + " for " + result.shortName() + " " + result.variant());
		}
		return value;
	}

	private static String delta(BenchmarkResult result, BenchmarkResult base, String stat) {
		String unit = stat.equals("bytes") ? "B/op" : result.unit().replace("/op", "");
		return format("%+,.0f %s", stat(result, stat) - stat(base, stat), unit);
	}

	private static String ratio(BenchmarkResult result, BenchmarkResult base, String stat) {
		double ratio = stat.equals("score") ? Report.slowdown(result, base) : stat(result, stat) / stat(base, stat);
		return format("%.3f× (%+.1f%%)", ratio, (ratio - 1) * 100);
	}

	// Whether a comparison holds for every combination of the comma-separated files,
	// benchmarks, variants and bases: yes, no, or for how many of them.
	private String verdict(List<String> lists, BiPredicate<BenchmarkResult, BenchmarkResult> holds) {
		int yes = 0;
		int all = 0;
		for (String file : lists.get(0).split(",")) {
			for (String benchmark : lists.get(1).split(",")) {
				for (String variant : lists.get(2).split(",")) {
					for (String base : lists.get(3).split(",")) {
						all++;
						yes += holds.test(result(file, benchmark, variant), result(file, benchmark, base)) ? 1 : 0;
					}
				}
			}
		}
		if (yes == all) {
			return "yes";
		}
		return (yes == 0) ? "no" : format("not shown either way (yes in %d of %d)", yes, all);
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
