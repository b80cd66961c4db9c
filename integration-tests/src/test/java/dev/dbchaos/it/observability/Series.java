package dev.dbchaos.it.observability;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/**
 * One time series of a Prometheus query result: its labels and its samples, oldest first.
 *
 * @param labels the series' labels
 * @param samples the samples, oldest first
 */
record Series(Map<String, String> labels, List<Sample> samples) {

	Series {
		labels = Map.copyOf(labels);
		samples = List.copyOf(samples);
	}

	String label(String name) {
		return this.labels.getOrDefault(name, "");
	}

	/**
	 * The largest value, leaving out NaN (a ratio of two rates that are both 0 is NaN).
	 */
	OptionalDouble max() {
		return this.samples.stream().mapToDouble(Sample::value).filter(Double::isFinite).max();
	}

	/**
	 * The largest value among the samples taken within {@code [from, to]}.
	 */
	OptionalDouble max(Instant from, Instant to) {
		return maxTakenWhen((time) -> !time.isBefore(from) && !time.isAfter(to));
	}

	/**
	 * The largest value among the samples taken within {@code [from, until)}: before
	 * {@code until}, not at it. A band starts at the first sample that shows its rule,
	 * and that scrape may already show the rule's effect (the circuit breaker opens
	 * within a second of an outage), so "before the band" leaves the band's first sample
	 * out.
	 */
	OptionalDouble maxBefore(Instant from, Instant until) {
		return maxTakenWhen((time) -> !time.isBefore(from) && time.isBefore(until));
	}

	private OptionalDouble maxTakenWhen(Predicate<Instant> taken) {
		return this.samples.stream()
			.filter((sample) -> taken.test(sample.time()))
			.mapToDouble(Sample::value)
			.filter(Double::isFinite)
			.max();
	}

	Sample last() {
		return this.samples.get(this.samples.size() - 1);
	}

	boolean hasFiniteValue() {
		return max().isPresent();
	}

	List<Sample> samplesWhere(Predicate<Sample> condition) {
		return this.samples.stream().filter(condition).toList();
	}

	/**
	 * One sample.
	 *
	 * @param time when
	 * @param value the value, possibly NaN
	 */
	record Sample(Instant time, double value) {
	}

}
