package dev.dbchaos.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One benchmark and variant of a JMH result file.
 *
 * @param benchmark the benchmark, as {@code Class.method}
 * @param mode the JMH mode ({@code avgt}, {@code sample}, {@code thrpt})
 * @param variant the {@code variant} parameter
 * @param score the primary score
 * @param error the score's 99.9% error, {@code NaN} when JMH had too few samples
 * @param unit the score's unit
 * @param p50 the median of the samples in {@code sample} mode, else {@code NaN}
 * @param p99 the 99th percentile of the samples in {@code sample} mode, else {@code NaN}
 * @param bytesPerOp allocation per operation from {@code -prof gc}, {@code NaN} without
 * it
 */
public record BenchmarkResult(String benchmark, String mode, String variant, double score, double error, String unit,
		double p50, double p99, double bytesPerOp) {

	/**
	 * Return whether a higher score is better, as for throughput.
	 * @return whether higher is better
	 */
	public boolean higherIsBetter() {
		return "thrpt".equals(this.mode);
	}

	/**
	 * Return the benchmark without its class, as {@code H2Benchmarks.select} is shown.
	 * @return the short name
	 */
	public String shortName() {
		return this.benchmark.substring(this.benchmark.lastIndexOf('.', this.benchmark.lastIndexOf('.') - 1) + 1);
	}

	/**
	 * Read the results of a JMH JSON file ({@code -rf json}).
	 * @param json the file's content
	 * @return the results in file order
	 */
	@SuppressWarnings("unchecked")
	public static List<BenchmarkResult> parse(String json) {
		List<BenchmarkResult> results = new ArrayList<>();
		for (Object element : (List<Object>) Json.parse(json)) {
			Map<String, Object> run = (Map<String, Object>) element;
			Map<String, Object> params = (Map<String, Object>) run.getOrDefault("params", Map.of());
			Map<String, Object> primary = (Map<String, Object>) run.get("primaryMetric");
			Map<String, Object> percentiles = (Map<String, Object>) primary.getOrDefault("scorePercentiles", Map.of());
			Map<String, Object> secondary = (Map<String, Object>) run.getOrDefault("secondaryMetrics", Map.of());
			String mode = (String) run.get("mode");
			boolean sample = "sample".equals(mode);
			results.add(new BenchmarkResult((String) run.get("benchmark"), mode,
					(String) params.getOrDefault("variant", "-"), number(primary.get("score")),
					number(primary.get("scoreError")), (String) primary.get("scoreUnit"),
					sample ? number(percentiles.get("50.0")) : Double.NaN,
					sample ? number(percentiles.get("99.0")) : Double.NaN, allocation(secondary)));
		}
		return results;
	}

	@SuppressWarnings("unchecked")
	private static double allocation(Map<String, Object> secondary) {
		for (Map.Entry<String, Object> metric : secondary.entrySet()) {
			if (metric.getKey().endsWith("gc.alloc.rate.norm")) {
				return number(((Map<String, Object>) metric.getValue()).get("score"));
			}
		}
		return Double.NaN;
	}

	private static double number(Object value) {
		return (value instanceof Number number) ? number.doubleValue() : Double.NaN;
	}

}
