package dev.dbchaos.actuate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.dbchaos.experiment.ExperimentListener;
import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.experiment.Experiments;

/**
 * The experiments' meters: {@code dbchaos.experiments.active} (a gauge of the running
 * ones) and {@code dbchaos.experiments} (a counter of the ended ones, tagged by
 * {@code verdict}).
 *
 * @since 0.1.0
 */
public final class ExperimentMetrics implements ExperimentListener {

	private final MeterRegistry meters;

	private ExperimentMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	/**
	 * Register the meters of the given experiments.
	 * @param experiments the experiments
	 * @param meters where to register them
	 */
	public static void bind(Experiments experiments, MeterRegistry meters) {
		Gauge.builder("dbchaos.experiments.active", experiments, Experiments::active)
			.description("Game-day experiments running")
			.register(meters);
		ExperimentMetrics metrics = new ExperimentMetrics(meters);
		// Registered at zero, so that the first experiment of a verdict is an increase
		// that a monitoring system sees (Prometheus's increase() starts from a series'
		// first sample), as the dashboard's annotation of ended experiments needs.
		ExperimentReport.VERDICTS.forEach(metrics::counter);
		experiments.addListener(metrics);
	}

	@Override
	public void ended(ExperimentReport report) {
		counter(String.valueOf(report.verdict())).increment();
	}

	private Counter counter(String verdict) {
		return Counter.builder("dbchaos.experiments")
			.description("Game-day experiments ended, by verdict")
			.tag("verdict", verdict)
			.register(this.meters);
	}

}
