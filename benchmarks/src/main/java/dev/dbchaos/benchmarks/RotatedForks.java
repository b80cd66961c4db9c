package dev.dbchaos.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@link H2Benchmarks#executeQuery() executeQuery} of every variant in rounds of one JMH
 * fork each, the order of the variants rotated from round to round, and every variant
 * compared with {@code dbchaosIdle} <em>within</em> a round. On a small shared machine
 * the speed drifts by more over the minutes of a plain JMH run, which measures one
 * variant after the other, than the differences to resolve (tens of nanoseconds); here a
 * drift hits the variants of a round alike and each variant in every position of the
 * order. Each fork is a JVM of its own, as in a plain JMH run.
 * <p>
 * {@code java -cp benchmarks.jar dev.dbchaos.benchmarks.RotatedForks [rounds] [out.md] [variant,...]}
 * (the variants by {@link Variant#id() id}; all of them unless given, {@code raw} and
 * {@code dbchaosIdle} always).
 */
public final class RotatedForks {

	private static final String BENCHMARK = H2Benchmarks.class.getName() + ".executeQuery$";

	private static final int WARMUP_SECONDS = 5;

	private static final int MEASUREMENT_SECONDS = 5;

	// The per-call targets of issue #13: rules that cannot match add at most this much.
	private static final double TARGET_NANOS = 30;

	private final List<Variant> variants;

	private final Map<Variant, List<Fork>> forks = new EnumMap<>(Variant.class);

	private RotatedForks(List<Variant> variants) {
		this.variants = variants;
		for (Variant variant : variants) {
			this.forks.put(variant, new ArrayList<>());
		}
	}

	/**
	 * Run the rounds and write their table.
	 * @param args the number of rounds (default 6), the file to write the table to
	 * (default {@code rotated-forks.md}) and the variants to measure (default all)
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 6;
		Path out = Path.of((args.length > 1) ? args[1] : "rotated-forks.md");
		EnumSet<Variant> variants = EnumSet.of(Variant.RAW, Variant.DBCHAOS_IDLE);
		if (args.length > 2) {
			Arrays.stream(args[2].split(",")).map(Variant::of).forEach(variants::add);
		}
		else {
			variants.addAll(EnumSet.allOf(Variant.class));
		}
		RotatedForks measurement = new RotatedForks(List.copyOf(variants));
		measurement.run(rounds);
		String table = measurement.table(rounds);
		Files.writeString(out, table);
		System.out.print(table);
	}

	private void run(int rounds) throws RunnerException {
		for (int round = 0; round < rounds; round++) {
			for (int i = 0; i < this.variants.size(); i++) {
				Variant variant = this.variants.get((round + i) % this.variants.size());
				System.out.printf(Locale.ROOT, "round %d/%d: %s%n", round + 1, rounds, variant.id());
				this.forks.get(variant).add(fork(variant));
			}
		}
	}

	private static Fork fork(Variant variant) throws RunnerException {
		Options options = new OptionsBuilder().include(BENCHMARK)
			.param("variant", variant.id())
			.forks(1)
			.warmupIterations(WARMUP_SECONDS)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(MEASUREMENT_SECONDS)
			.measurementTime(TimeValue.seconds(1))
			.addProfiler(GCProfiler.class)
			.verbosity(VerboseMode.SILENT)
			.build();
		RunResult result = new Runner(options).runSingle();
		Result<?> allocation = result.getSecondaryResults().get("gc.alloc.rate.norm");
		return new Fork(result.getPrimaryResult().getScore(), (allocation != null) ? allocation.getScore() : 0);
	}

	private String table(int rounds) {
		StringBuilder table = new StringBuilder();
		table.append(String.format(Locale.ROOT,
				"%d rounds of one fork per variant (%d × 1 s warm-up, %d × 1 s measured), the order rotated "
						+ "each round; Δ is the variant's time or allocation per call minus `dbchaosIdle`'s in the "
						+ "same round%n%n",
				rounds, WARMUP_SECONDS, MEASUREMENT_SECONDS));
		table.append("| variant | ns/op (median of rounds) | Δ ns vs idle (median) | Δ ns vs idle (lowest–highest) "
				+ "| median Δ ≤ +30 ns | rounds with Δ ≤ +30 ns | Δ B/op vs idle (median) | vs raw (median of rounds) |\n");
		table.append("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n");
		List<Fork> idle = this.forks.get(Variant.DBCHAOS_IDLE);
		List<Fork> raw = this.forks.get(Variant.RAW);
		for (Variant variant : this.variants) {
			List<Fork> forks = this.forks.get(variant);
			double[] times = new double[rounds];
			double[] deltas = new double[rounds];
			double[] bytes = new double[rounds];
			double[] ratios = new double[rounds];
			int withinTarget = 0;
			for (int round = 0; round < rounds; round++) {
				times[round] = forks.get(round).nanos();
				deltas[round] = forks.get(round).nanos() - idle.get(round).nanos();
				bytes[round] = forks.get(round).bytes() - idle.get(round).bytes();
				ratios[round] = forks.get(round).nanos() / raw.get(round).nanos();
				if (deltas[round] <= TARGET_NANOS) {
					withinTarget++;
				}
			}
			double ratio = median(ratios);
			table.append(String.format(Locale.ROOT,
					"| %s | %.0f | %+.0f | %+.0f – %+.0f | %s | %d of %d | %+.0f | %.3f× (%+.1f%%) |%n", variant.id(),
					median(times), median(deltas), min(deltas), max(deltas),
					(median(deltas) <= TARGET_NANOS) ? "yes" : "no", withinTarget, rounds, median(bytes), ratio,
					(ratio - 1) * 100));
		}
		table.append(String.format(Locale.ROOT, "%nEvery fork (ns/op, B/op):%n%n| round | first |"));
		for (Variant variant : this.variants) {
			table.append(' ').append(variant.id()).append(" |");
		}
		table.append("\n| ---: | --- |").append(" ---: |".repeat(this.variants.size())).append('\n');
		for (int round = 0; round < rounds; round++) {
			table.append("| ").append(round + 1).append(" | ");
			table.append(this.variants.get(round % this.variants.size()).id()).append(" |");
			for (Variant variant : this.variants) {
				Fork fork = this.forks.get(variant).get(round);
				table.append(String.format(Locale.ROOT, " %.0f, %.0f |", fork.nanos(), fork.bytes()));
			}
			table.append('\n');
		}
		return table.toString();
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
	}

	private static double min(double[] values) {
		return Arrays.stream(values).min().orElseThrow();
	}

	private static double max(double[] values) {
		return Arrays.stream(values).max().orElseThrow();
	}

	/**
	 * One fork's result.
	 *
	 * @param nanos the mean time per call
	 * @param bytes the bytes allocated per call, as JMH's {@code gc.alloc.rate.norm}
	 */
	private record Fork(double nanos, double bytes) {

	}

}
