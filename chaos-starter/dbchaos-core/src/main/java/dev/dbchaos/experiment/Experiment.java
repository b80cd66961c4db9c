package dev.dbchaos.experiment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.experiment.ExperimentReport.AbortedBy;
import dev.dbchaos.experiment.ExperimentReport.CheckReport;
import dev.dbchaos.experiment.ExperimentReport.CheckResult;
import dev.dbchaos.experiment.ExperimentReport.Sample;
import dev.dbchaos.experiment.ExperimentReport.StepReport;
import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * One run of an {@link ExperimentDefinition}: the state machine. Every transition holds
 * this object's lock, so steps, checks and an abort from another thread never interleave.
 * <p>
 * The method phase lasts from the start until the last step's fault ends; the guards are
 * checked every {@link #CHECK_INTERVAL} of it. Then the experiment removes what is left
 * of its faults and checks the hypothesis every interval until it holds ({@code passed})
 * or {@code recoverWithin} has passed ({@code failed}).
 *
 * @since 0.1.0
 */
public final class Experiment {

	/**
	 * How often guards (and, after the faults, the hypothesis) are checked: twice a
	 * second, so that a late tick on a busy machine still checks at least once a second.
	 */
	public static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

	/**
	 * How often the checked quantities are sampled for the report.
	 */
	public static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);

	/**
	 * How long a check interval waits for the checks' answers: a check still observing
	 * after it is taken at a later interval, so that a slow one (a health check waiting
	 * for a connection) holds back neither the steps nor the other checks.
	 */
	static final Duration ANSWER_BUDGET = CHECK_INTERVAL.dividedBy(2);

	/**
	 * How long the start waits for the hypothesis: a check still observing after it does
	 * not hold, so the experiment is refused.
	 */
	static final Duration START_BUDGET = Duration.ofSeconds(30);

	private enum Phase {

		METHOD, RECOVERY, ENDED

	}

	private final String id;

	private final ExperimentDefinition definition;

	private final FaultRegistry registry;

	private final StepFaults stepFaults;

	private final String startedBy;

	private final Clock clock;

	private final Consumer<Experiment> onEnd;

	private final List<Duration> lifetimes;

	private final Duration methodLength;

	private final Instant startedAt;

	private final List<StepState> steps = new ArrayList<>();

	private final Map<Check, CheckState> checks = new LinkedHashMap<>();

	private final List<Sample> samples = new ArrayList<>();

	private final List<Runnable> cancellations = new ArrayList<>();

	private Phase phase = Phase.METHOD;

	private String state = "running";

	private @Nullable String verdict;

	private @Nullable Instant endedAt;

	private @Nullable AbortedBy abortedBy;

	private @Nullable Instant recoveryStartedAt;

	private Instant nextSampleAt;

	private @Nullable Observer observer;

	Experiment(String id, ExperimentDefinition definition, FaultRegistry registry, StepFaults stepFaults,
			String startedBy, Clock clock, Consumer<Experiment> onEnd) {
		this.id = id;
		this.definition = definition;
		this.registry = registry;
		this.stepFaults = stepFaults;
		this.startedBy = startedBy;
		this.clock = clock;
		this.onEnd = onEnd;
		this.lifetimes = lifetimes(definition, registry);
		Duration length = Duration.ZERO;
		for (int i = 0; i < definition.steps().size(); i++) {
			Duration end = definition.steps().get(i).at().plus(this.lifetimes.get(i));
			length = (end.compareTo(length) > 0) ? end : length;
		}
		this.methodLength = length;
		for (Step step : definition.steps()) {
			this.steps.add(new StepState(step));
		}
		definition.hypothesis().forEach((check) -> this.checks.put(check, new CheckState("hypothesis", check)));
		definition.guards().forEach((check) -> this.checks.putIfAbsent(check, new CheckState("guard", check)));
		this.startedAt = clock.instant();
		this.nextSampleAt = this.startedAt;
	}

	// How long each step's fault lives: as long as it asks for (or the registry's
	// default), which must be within the registry's maximum.
	private static List<Duration> lifetimes(ExperimentDefinition definition, FaultRegistry registry) {
		List<Duration> lifetimes = new ArrayList<>();
		for (int i = 0; i < definition.steps().size(); i++) {
			FaultSpec fault = definition.steps().get(i).fault();
			Duration lifetime = (fault.getDuration() != null) ? fault.getDuration() : registry.getDefaultDuration();
			if (lifetime.compareTo(registry.getMaxDuration()) > 0) {
				throw new InvalidFaultException("steps[" + i + "].fault.duration",
						"must not exceed the maximum duration of " + registry.getMaxDuration() + ", was " + lifetime);
			}
			lifetimes.add(lifetime);
		}
		return lifetimes;
	}

	/**
	 * Check the hypothesis and, if it holds, schedule the steps and the checks.
	 * @param scheduler runs them
	 */
	synchronized void start(Scheduler scheduler) {
		Observer observer = new Observer(scheduler);
		this.observer = observer;
		Map<Check, Observation> observed = observer.observe(this.checks.keySet(), START_BUDGET);
		boolean holds = true;
		for (Check check : this.definition.hypothesis()) {
			holds &= holds(evaluate(check, observed));
		}
		sample(observed);
		if (!holds) {
			end("refused", "refused", null);
			return;
		}
		this.cancellations.add(scheduler.scheduleRepeatedly(this::tick, CHECK_INTERVAL));
		for (int i = 0; i < this.steps.size() && this.phase == Phase.METHOD; i++) {
			int index = i;
			Duration at = this.steps.get(i).step.at();
			if (at.isZero()) {
				// At once, so that the answer to the start shows the first fault.
				runStep(index);
			}
			else {
				this.cancellations.add(scheduler.schedule(() -> runStep(index), at));
			}
		}
	}

	private synchronized void runStep(int index) {
		if (this.phase != Phase.METHOD) {
			return;
		}
		StepState step = this.steps.get(index);
		try {
			StepFaults.Added fault = this.stepFaults.add(step.step,
					withLifetime(step.step.fault(), this.lifetimes.get(index)), this.startedBy);
			step.faultId = fault.id();
			step.startedAt = fault.startedAt();
			step.endsAt = fault.endsAt();
		}
		catch (RuntimeException ex) {
			step.error = (ex instanceof InvalidFaultException invalid) ? invalid.getField() + ": " + invalid.getReason()
					: ex.getMessage();
			abort(AbortedBy.step(index, String.valueOf(step.error)));
		}
	}

	private static FaultSpec withLifetime(FaultSpec fault, Duration lifetime) {
		return FaultSpec.of((field) -> (field == FaultField.DURATION) ? lifetime : fault.get(field));
	}

	/**
	 * One check interval: guards during the method, the hypothesis after it, and a sample
	 * when one is due.
	 */
	synchronized void tick() {
		if (this.phase == Phase.ENDED) {
			return;
		}
		Instant now = this.clock.instant();
		Map<Check, Observation> observed = observe(now);
		if (this.phase == Phase.METHOD) {
			for (Check guard : this.definition.guards()) {
				Observation observation = evaluate(guard, observed);
				if (observation != null && !observation.holds()) {
					abort(AbortedBy.guard(guard, observation), observed);
					return;
				}
			}
			endFaultsDue(now);
			if (!now.isBefore(this.startedAt.plus(this.methodLength))) {
				this.phase = Phase.RECOVERY;
				this.recoveryStartedAt = now;
			}
		}
		if (this.phase == Phase.RECOVERY) {
			boolean holds = true;
			for (Check check : this.definition.hypothesis()) {
				holds &= holds(evaluate(check, observed));
			}
			if (holds) {
				sample(observed);
				end("completed", "passed", null);
				return;
			}
			if (!now.isBefore(this.recoveryStartedAt.plus(this.definition.recoverWithin()))) {
				sample(observed);
				end("completed", "failed", null);
				return;
			}
		}
		if (!now.isBefore(this.nextSampleAt)) {
			sample(observed);
		}
	}

	/**
	 * Abort the experiment, removing every fault it added, unless it has ended.
	 * @param cause what aborts it
	 * @return whether it was running
	 */
	public synchronized boolean abort(AbortedBy cause) {
		return abort(cause, null);
	}

	private boolean abort(AbortedBy cause, @Nullable Map<Check, Observation> observed) {
		if (this.phase == Phase.ENDED) {
			return false;
		}
		this.abortedBy = cause;
		end("aborted", "aborted", observed);
		return true;
	}

	private void end(String state, String verdict, @Nullable Map<Check, Observation> observed) {
		this.phase = Phase.ENDED;
		this.cancellations.forEach(Runnable::run);
		Instant now = this.clock.instant();
		for (StepState step : this.steps) {
			removeFault(step, now);
		}
		if (observed != null) {
			sample(observed);
		}
		this.state = state;
		this.verdict = verdict;
		this.endedAt = now;
		this.onEnd.accept(this);
	}

	private void endFaultsDue(Instant now) {
		for (StepState step : this.steps) {
			if (step.endsAt != null && !now.isBefore(step.endsAt)) {
				removeFault(step, now);
			}
		}
	}

	private void removeFault(StepState step, Instant now) {
		if (step.faultId != null && step.endedAt == null) {
			try {
				this.stepFaults.remove(step.step, step.faultId, this.startedBy);
			}
			catch (RuntimeException ex) {
				// Such as a fleet's bus that cannot be reached: this instance's copy goes
				// all the same, and every fault ends by itself.
				this.registry.remove(step.faultId);
			}
			step.endedAt = (step.endsAt != null && step.endsAt.isBefore(now)) ? step.endsAt : now;
		}
	}

	/**
	 * Observe what this interval checks: the guards during the method, the hypothesis
	 * after it, and every check when a sample is due.
	 * @param now the interval's time
	 * @return the answers that came within {@link #ANSWER_BUDGET}
	 */
	private Map<Check, Observation> observe(Instant now) {
		Collection<Check> checks = !now.isBefore(this.nextSampleAt) ? this.checks.keySet()
				: (this.phase == Phase.METHOD) ? this.definition.guards() : this.definition.hypothesis();
		return (this.observer != null) ? this.observer.observe(checks, ANSWER_BUDGET) : Map.of();
	}

	/**
	 * Record a check's answer of this interval.
	 * @param check the check
	 * @param observed the interval's answers
	 * @return the check's answer, {@code null} while it is still being observed
	 */
	private @Nullable Observation evaluate(Check check, Map<Check, Observation> observed) {
		Observation observation = observed.get(check);
		if (observation != null) {
			this.checks.get(check)
				.record(new CheckResult(this.clock.instant(), observation.holds(), observation.value()));
		}
		return observation;
	}

	private static boolean holds(@Nullable Observation observation) {
		return observation != null && observation.holds();
	}

	/**
	 * Sample the quantities observed: a check still being observed is left out of this
	 * sample.
	 * @param observed the answers
	 */
	private void sample(Map<Check, Observation> observed) {
		Instant now = this.clock.instant();
		Map<String, Object> values = new LinkedHashMap<>();
		for (Check check : this.checks.keySet()) {
			Observation observation = observed.get(check);
			if (observation != null) {
				values.putIfAbsent(check.observed(), observation.value());
			}
		}
		this.samples.add(new Sample(now, values));
		this.nextSampleAt = now.plus(SAMPLE_INTERVAL);
	}

	/**
	 * Return the experiment's id.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * Return whether the experiment is still running.
	 * @return whether it has not ended
	 */
	public synchronized boolean isRunning() {
		return this.phase != Phase.ENDED;
	}

	/**
	 * Return the experiment as it stands.
	 * @return the report
	 */
	public synchronized ExperimentReport report() {
		List<StepReport> steps = this.steps.stream()
			.map((step) -> new StepReport(step.step.at().toString(), step.step.fault().getType().id(), step.faultId,
					step.startedAt, step.endedAt, step.error))
			.toList();
		List<CheckReport> checks = this.checks.values().stream().map(CheckState::report).toList();
		return new ExperimentReport(this.id, this.definition.name(), this.state, this.verdict, this.startedAt,
				this.endedAt, this.abortedBy, steps, checks, List.copyOf(this.samples));
	}

	private static final class StepState {

		private final Step step;

		private @Nullable String faultId;

		private @Nullable Instant startedAt;

		private @Nullable Instant endsAt;

		private @Nullable Instant endedAt;

		private @Nullable String error;

		StepState(Step step) {
			this.step = step;
		}

	}

	private static final class CheckState {

		private final String role;

		private final Check check;

		private int evaluations;

		private int failures;

		private @Nullable CheckResult first;

		private @Nullable CheckResult last;

		private @Nullable CheckResult firstFailure;

		CheckState(String role, Check check) {
			this.role = role;
			this.check = check;
		}

		void record(CheckResult result) {
			this.evaluations++;
			if (this.first == null) {
				this.first = result;
			}
			this.last = result;
			if (!result.holds()) {
				this.failures++;
				if (this.firstFailure == null) {
					this.firstFailure = result;
				}
			}
		}

		CheckReport report() {
			return new CheckReport(this.role, this.check.description(), this.evaluations, this.failures, this.first,
					this.last, this.firstFailure);
		}

	}

}
