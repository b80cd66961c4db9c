package dev.dbchaos.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.dbchaos.experiment.Check;
import dev.dbchaos.experiment.Observation;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * A check of a Micrometer meter: holds while the meter is at most {@code max}. For
 * counters, timers and distribution summaries the value is the rate per second of their
 * count over the window; for gauges it is the gauge's value. The meters matching the name
 * and tags are summed, so {@code http.server.requests} with {@code status=500} covers
 * every URI; a tag combination not seen yet counts as zero.
 * <p>
 * A rate needs an earlier count: the first observation of a counter is a rate of zero,
 * and until a window has passed the rate is over the time since the first observation.
 *
 * @since 0.1.0
 */
public final class MeterCheck implements Check {

	/**
	 * The window of a rate when the check does not say.
	 */
	public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

	private final MeterRegistry registry;

	private final String name;

	private final Map<String, String> tags;

	private final double max;

	private final Duration window;

	private final Clock clock;

	private final Deque<Count> counts = new ArrayDeque<>();

	/**
	 * Create a check of a meter that exists.
	 * @param registry where the meter is
	 * @param field the field the check was given in, named when the meter is unknown
	 * @param name the meter's name
	 * @param tags the tags the meters must have
	 * @param max the most the value may be
	 * @param window the window of a rate
	 * @param clock tells the time of each count
	 * @throws InvalidFaultException naming {@code field} when no meter has that name
	 */
	public MeterCheck(MeterRegistry registry, String field, String name, Map<String, String> tags, double max,
			Duration window, Clock clock) {
		if (registry.find(name).meters().isEmpty()) {
			throw new InvalidFaultException(field, "no meter is named '" + FaultRequest.abbreviate(name) + "'");
		}
		this.registry = registry;
		this.name = name;
		this.tags = new TreeMap<>(tags);
		this.max = max;
		this.window = window;
		this.clock = clock;
	}

	@Override
	public String description() {
		return observed() + " <= " + this.max;
	}

	@Override
	public String observed() {
		return "meter " + this.name + (this.tags.isEmpty() ? "" : this.tags.toString());
	}

	@Override
	public synchronized Observation observe() {
		Collection<Meter> meters = this.registry.find(this.name).tags(tagsOf(this.tags)).meters();
		double value;
		if (!meters.isEmpty() && meters.stream().allMatch(Gauge.class::isInstance)) {
			value = meters.stream().mapToDouble((meter) -> ((Gauge) meter).value()).sum();
		}
		else {
			value = rate(meters.stream().mapToDouble(MeterCheck::count).sum());
		}
		return new Observation(value <= this.max, value);
	}

	private double rate(double count) {
		Instant now = this.clock.instant();
		this.counts.addLast(new Count(now, count));
		while (this.counts.size() > 2 && !this.counts.peekFirst().at().isAfter(now.minus(this.window))
				&& !secondOf(this.counts).at().isAfter(now.minus(this.window))) {
			this.counts.removeFirst();
		}
		Count oldest = this.counts.peekFirst();
		double seconds = Duration.between(oldest.at(), now).toNanos() / 1e9;
		return (seconds > 0) ? Math.max(0, count - oldest.count()) / seconds : 0;
	}

	private static Count secondOf(Deque<Count> counts) {
		var iterator = counts.iterator();
		iterator.next();
		return iterator.next();
	}

	private static double count(Meter meter) {
		if (meter instanceof Counter counter) {
			return counter.count();
		}
		if (meter instanceof FunctionCounter counter) {
			return counter.count();
		}
		if (meter instanceof Timer timer) {
			return timer.count();
		}
		if (meter instanceof FunctionTimer timer) {
			return timer.count();
		}
		if (meter instanceof DistributionSummary summary) {
			return summary.count();
		}
		if (meter instanceof LongTaskTimer timer) {
			return timer.activeTasks();
		}
		return 0;
	}

	private static Tags tagsOf(Map<String, String> tags) {
		Tags result = Tags.empty();
		for (Map.Entry<String, String> tag : tags.entrySet()) {
			result = result.and(tag.getKey(), tag.getValue());
		}
		return result;
	}

	private record Count(Instant at, double count) {

	}

}
