package dev.dbchaos.experiment;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.dbchaos.experiment.ExperimentReport.AbortedBy;
import dev.dbchaos.fault.FaultRegistry;

/**
 * The experiments of one application: starts them, keeps the last {@value #KEPT} in
 * memory, aborts them on request and on {@link #close() shutdown}. Nothing persists
 * across a restart.
 *
 * @since 0.1.0
 */
public final class Experiments implements AutoCloseable {

	/**
	 * How many experiments are kept, the running ones among them.
	 */
	public static final int KEPT = 20;

	private final FaultRegistry registry;

	private final StepFaults stepFaults;

	private final Scheduler scheduler;

	private final Clock clock;

	private final Deque<Experiment> experiments = new ArrayDeque<>();

	private final List<ExperimentListener> listeners = new CopyOnWriteArrayList<>();

	private boolean closed;

	/**
	 * Create the experiments of a registry.
	 * @param registry where their faults are added
	 * @param scheduler runs their steps and checks
	 * @param clock tells the time of their reports and steps
	 */
	public Experiments(FaultRegistry registry, Scheduler scheduler, Clock clock) {
		this(registry, StepFaults.of(registry), scheduler, clock);
	}

	/**
	 * Create the experiments of a registry whose steps may add faults elsewhere too.
	 * @param registry where the faults of steps for this instance are added
	 * @param stepFaults adds and removes the steps' faults
	 * @param scheduler runs their steps and checks
	 * @param clock tells the time of their reports and steps
	 */
	public Experiments(FaultRegistry registry, StepFaults stepFaults, Scheduler scheduler, Clock clock) {
		this.registry = registry;
		this.stepFaults = stepFaults;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	/**
	 * Be told when experiments start and end.
	 * @param listener the listener
	 */
	public void addListener(ExperimentListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Start an experiment: check its hypothesis and, if it holds, schedule its steps.
	 * @param definition the experiment
	 * @return the experiment, {@code running}, or {@code refused} when its hypothesis did
	 * not hold (then no fault was added)
	 * @throws dev.dbchaos.fault.InvalidFaultException naming the offending field of the
	 * definition, such as a step's duration beyond the registry's maximum
	 */
	public Experiment start(ExperimentDefinition definition) {
		return start(definition, "unknown");
	}

	/**
	 * Start an experiment: check its hypothesis and, if it holds, schedule its steps.
	 * @param definition the experiment
	 * @param startedBy who starts it, as a fleet's faults name their principal
	 * @return the experiment, {@code running}, or {@code refused} when its hypothesis did
	 * not hold (then no fault was added)
	 * @throws dev.dbchaos.fault.InvalidFaultException naming the offending field of the
	 * definition, such as a step's duration beyond the registry's maximum
	 */
	public Experiment start(ExperimentDefinition definition, String startedBy) {
		Experiment experiment = new Experiment(newId(), definition, this.registry, this.stepFaults, startedBy,
				this.clock, this::ended);
		synchronized (this) {
			if (this.closed) {
				throw new IllegalStateException("The application is shutting down");
			}
			this.experiments.addFirst(experiment);
			while (this.experiments.size() > KEPT) {
				this.experiments.removeLast();
			}
		}
		experiment.start(this.scheduler);
		ExperimentReport report = experiment.report();
		this.listeners.forEach((listener) -> listener.started(report));
		return experiment;
	}

	private void ended(Experiment experiment) {
		ExperimentReport report = experiment.report();
		this.listeners.forEach((listener) -> listener.ended(report));
	}

	private String newId() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Return the kept experiments, newest first.
	 * @return the experiments
	 */
	public synchronized List<Experiment> list() {
		return List.copyOf(this.experiments);
	}

	/**
	 * Return a kept experiment.
	 * @param id its id
	 * @return the experiment, or empty when unknown or no longer kept
	 */
	public synchronized Optional<Experiment> get(String id) {
		return this.experiments.stream().filter((experiment) -> experiment.getId().equals(id)).findFirst();
	}

	/**
	 * Return how many experiments are running.
	 * @return the number
	 */
	public int active() {
		return (int) list().stream().filter(Experiment::isRunning).count();
	}

	/**
	 * Abort every running experiment, removing their faults, and start no more.
	 */
	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
		}
		for (Experiment experiment : list()) {
			experiment.abort(AbortedBy.shutdown());
		}
	}

}
