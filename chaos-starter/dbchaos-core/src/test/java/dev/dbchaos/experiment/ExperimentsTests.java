package dev.dbchaos.experiment;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dbchaos.experiment.ExperimentReport.StepReport;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ExperimentsTests {

	private final ManualTime time = new ManualTime();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10), this.time,
			new Random(1));

	private final Experiments experiments = new Experiments(this.registry, this.time, this.time);

	private final SettableCheck errors = new SettableCheck("errors");

	private final SettableCheck latency = new SettableCheck("latency");

	@AfterEach
	void close() {
		this.experiments.close();
		this.registry.close();
	}

	private ExperimentDefinition failoverDrill() {
		return new ExperimentDefinition("failover",
				List.of(step(0, FaultType.OUTAGE, 10), step(10, FaultType.READ_ONLY, 20)), List.of(this.errors),
				Duration.ofSeconds(30), List.of(this.latency));
	}

	private static Step step(int atSeconds, FaultType type, int seconds) {
		return new Step(Duration.ofSeconds(atSeconds),
				FaultSpec.builder(type).duration(Duration.ofSeconds(seconds)).build());
	}

	private List<FaultType> activeTypes() {
		return this.registry.getRules().stream().map(FaultRule::getType).toList();
	}

	@Test
	void stepsAddTheirFaultsAtTheirOffsetsAndAPassingHypothesisPasses() {
		Experiment experiment = this.experiments.start(failoverDrill());
		assertThat(experiment.report().state()).isEqualTo("running");
		assertThat(experiment.report().verdict()).isNull();
		assertThat(activeTypes()).containsExactly(FaultType.OUTAGE);
		this.time.advance(Duration.ofSeconds(12));
		assertThat(activeTypes()).containsExactly(FaultType.READ_ONLY);
		this.errors.set(3);
		this.time.advance(Duration.ofSeconds(20));
		assertThat(activeTypes()).isEmpty();
		assertThat(experiment.isRunning()).isTrue();
		this.errors.set(0);
		this.time.advance(Duration.ofSeconds(1));
		ExperimentReport report = experiment.report();
		assertThat(report.state()).isEqualTo("completed");
		assertThat(report.verdict()).isEqualTo("passed");
		assertThat(report.endedAt()).isNotNull();
		assertThat(report.steps()).extracting(StepReport::faultId).doesNotContainNull();
		assertThat(report.steps()).extracting(StepReport::endedAt).doesNotContainNull();
		assertThat(report.samples()).hasSizeGreaterThanOrEqualTo(31);
		assertThat(report.samples().get(0).at()).isEqualTo(report.startedAt());
		assertThat(report.samples().get(0).values()).containsKeys("errors", "latency");
	}

	@Test
	void aSlowCheckHoldsBackNeitherTheStepsNorTheOtherGuards() {
		SettableCheck health = new SettableCheck("health");
		Experiment experiment = this.experiments.start(new ExperimentDefinition("slow health",
				List.of(step(0, FaultType.OUTAGE, 10), step(3, FaultType.READ_ONLY, 10)), List.of(),
				Duration.ofSeconds(30), List.of(health, this.latency)));
		this.time.holdAnswersOf(health);
		this.time.advance(Duration.ofSeconds(3));
		assertThat(experiment.report().steps().get(1).startedAt())
			.isEqualTo(experiment.report().startedAt().plusSeconds(3));
		this.latency.set(5);
		this.time.advance(Experiment.CHECK_INTERVAL);
		ExperimentReport report = experiment.report();
		assertThat(report.state()).isEqualTo("aborted");
		assertThat(report.abortedBy().check()).isEqualTo("latency <= 0");
		assertThat(report.checks()).filteredOn((check) -> check.check().equals("health <= 0"))
			.singleElement()
			.satisfies((check) -> assertThat(check.evaluations()).isZero());
	}

	@Test
	void aSlowGuardsAnswerIsTakenAtTheFirstIntervalAfterItCame() {
		SettableCheck health = new SettableCheck("health");
		Experiment experiment = this.experiments.start(new ExperimentDefinition("slow health",
				List.of(step(0, FaultType.OUTAGE, 10)), List.of(), Duration.ofSeconds(30), List.of(health)));
		this.time.holdAnswersOf(health);
		this.time.advance(Duration.ofSeconds(2));
		assertThat(experiment.isRunning()).isTrue();
		health.set(1);
		this.time.answer(health);
		this.time.advance(Experiment.CHECK_INTERVAL);
		ExperimentReport report = experiment.report();
		assertThat(report.state()).isEqualTo("aborted");
		assertThat(report.abortedBy().check()).isEqualTo("health <= 0");
		assertThat(report.abortedBy().observed()).isEqualTo(1.0);
		assertThat(activeTypes()).isEmpty();
	}

	@Test
	void aHypothesisCheckStillObservingWhenRecoveryRunsOutFailsTheExperiment() {
		Experiment experiment = this.experiments.start(new ExperimentDefinition("slow recovery",
				List.of(step(0, FaultType.OUTAGE, 1)), List.of(this.errors), Duration.ofSeconds(1), List.of()));
		this.time.holdAnswersOf(this.errors);
		// Each interval waits for the held answer (in real time) until its budget is out.
		this.time.advance(Duration.ofSeconds(3));
		assertThat(experiment.report().verdict()).isEqualTo("failed");
	}

	@Test
	void aCheckThatThrowsDoesNotHold() {
		Check broken = new Check() {

			@Override
			public String description() {
				return "broken";
			}

			@Override
			public String observed() {
				return "broken";
			}

			@Override
			public Observation observe() {
				throw new IllegalStateException("no such meter any more");
			}

		};
		Experiment experiment = this.experiments.start(new ExperimentDefinition("broken guard",
				List.of(step(0, FaultType.OUTAGE, 10)), List.of(), Duration.ofSeconds(30), List.of(broken)));
		this.time.advance(Experiment.CHECK_INTERVAL);
		ExperimentReport report = experiment.report();
		assertThat(report.state()).isEqualTo("aborted");
		assertThat(String.valueOf(report.abortedBy().observed())).contains("no such meter any more");
	}

	@Test
	void aHypothesisThatDoesNotHoldRefusesTheExperimentWithoutAddingAFault() {
		this.errors.set(1);
		Experiment experiment = this.experiments.start(failoverDrill());
		assertThat(experiment.report().state()).isEqualTo("refused");
		assertThat(experiment.report().verdict()).isEqualTo("refused");
		this.time.advance(Duration.ofSeconds(5));
		assertThat(activeTypes()).isEmpty();
		assertThat(experiment.report().steps()).extracting(StepReport::faultId).containsOnlyNulls();
	}

	@Test
	void aHypothesisThatDoesNotHoldAgainWithinRecoverWithinFails() {
		Experiment experiment = this.experiments.start(failoverDrill());
		this.errors.set(2);
		this.time.advance(Duration.ofSeconds(30 + 29));
		assertThat(experiment.isRunning()).isTrue();
		this.time.advance(Duration.ofSeconds(2));
		assertThat(experiment.report().state()).isEqualTo("completed");
		assertThat(experiment.report().verdict()).isEqualTo("failed");
		assertThat(experiment.report().checks().get(0).last().holds()).isFalse();
	}

	@Test
	void aFailingGuardAbortsWithinASecondAndRemovesEveryFault() {
		Experiment experiment = this.experiments.start(failoverDrill());
		this.time.advance(Duration.ofMillis(3200));
		this.latency.set(7.5);
		this.time.advance(Duration.ofSeconds(1));
		ExperimentReport report = experiment.report();
		assertThat(report.state()).isEqualTo("aborted");
		assertThat(report.verdict()).isEqualTo("aborted");
		assertThat(report.abortedBy().check()).isEqualTo("latency <= 0");
		assertThat(report.abortedBy().observed()).isEqualTo(7.5);
		assertThat(activeTypes()).isEmpty();
		this.time.advance(Duration.ofSeconds(20));
		assertThat(activeTypes()).as("the later step never runs").isEmpty();
		assertThat(report.steps().get(1).faultId()).isNull();
	}

	@Test
	void anOperatorAbortRemovesTheFaultsAndNamesTheOperator() {
		Experiment experiment = this.experiments.start(failoverDrill());
		assertThat(experiment.abort(ExperimentReport.AbortedBy.operator("alice"))).isTrue();
		assertThat(activeTypes()).isEmpty();
		assertThat(experiment.report().abortedBy().operator()).isEqualTo("alice");
		assertThat(experiment.abort(ExperimentReport.AbortedBy.operator("bob"))).isFalse();
	}

	@Test
	void shuttingDownAbortsRunningExperimentsAndRemovesTheirFaults() {
		Experiment experiment = this.experiments.start(failoverDrill());
		this.experiments.close();
		assertThat(activeTypes()).isEmpty();
		assertThat(experiment.report().abortedBy().reason()).isEqualTo("shutdown");
		assertThat(this.experiments.active()).isZero();
	}

	@Test
	void onlyTheLastTwentyExperimentsAreKept() {
		this.errors.set(1);
		Experiment first = this.experiments.start(failoverDrill());
		for (int i = 0; i < Experiments.KEPT; i++) {
			this.experiments.start(failoverDrill());
		}
		assertThat(this.experiments.list()).hasSize(Experiments.KEPT);
		assertThat(this.experiments.get(first.getId())).isEmpty();
	}

	@Test
	void aStepLongerThanTheRegistryAllowsIsRefusedNamingItsField() {
		ExperimentDefinition tooLong = new ExperimentDefinition("long", List.of(step(0, FaultType.OUTAGE, 3600)),
				List.of(), Duration.ofSeconds(1), List.of());
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> this.experiments.start(tooLong))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("steps[0].fault.duration"));
		assertThat(this.experiments.list()).isEmpty();
	}

}
