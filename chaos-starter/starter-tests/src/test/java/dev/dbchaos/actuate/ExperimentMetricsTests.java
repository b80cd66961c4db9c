package dev.dbchaos.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dbchaos.experiment.Check;
import dev.dbchaos.experiment.ExperimentDefinition;
import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.experiment.Experiments;
import dev.dbchaos.experiment.Observation;
import dev.dbchaos.experiment.Scheduler;
import dev.dbchaos.experiment.Step;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExperimentMetrics}.
 */
class ExperimentMetricsTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1));

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

	private final Experiments experiments = new Experiments(this.registry, Scheduler.of(this.executor),
			Clock.systemUTC());

	@AfterEach
	void close() {
		this.experiments.close();
		this.executor.shutdownNow();
		this.registry.close();
	}

	@Test
	void everyVerdictIsCountedFromZeroBeforeAnyExperimentEnds() {
		ExperimentMetrics.bind(this.experiments, this.meters);
		assertThat(ExperimentReport.VERDICTS).allSatisfy((
				verdict) -> assertThat(this.meters.get("dbchaos.experiments").tag("verdict", verdict).counter().count())
					.isZero());
		assertThat(this.meters.get("dbchaos.experiments.active").gauge().value()).isZero();
	}

	@Test
	void anEndedExperimentIsCountedByItsVerdict() {
		ExperimentMetrics.bind(this.experiments, this.meters);
		Check neverHolds = new Check() {

			@Override
			public String description() {
				return "never holds";
			}

			@Override
			public String observed() {
				return "no";
			}

			@Override
			public Observation observe() {
				return new Observation(false, 1);
			}

		};
		this.experiments.start(new ExperimentDefinition("refused",
				List.of(new Step(Duration.ZERO, FaultSpec.builder(FaultType.OUTAGE).build())), List.of(neverHolds),
				Duration.ofSeconds(1), List.of()));
		assertThat(this.meters.get("dbchaos.experiments").tag("verdict", "refused").counter().count()).isOne();
		assertThat(this.meters.get("dbchaos.experiments").tag("verdict", "passed").counter().count()).isZero();
		assertThat(this.registry.getRules()).isEmpty();
	}

}
