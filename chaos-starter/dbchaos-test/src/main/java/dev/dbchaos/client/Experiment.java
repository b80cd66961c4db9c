package dev.dbchaos.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A game-day experiment to run through a {@link DbChaosClient}: the body
 * {@code POST /actuator/dbchaos/experiments} takes, or the name of a definition kept as a
 * file in the service. <pre class="code">
 * ExperimentReport report = client.run(Experiment.named("checkout survives a failover")
 *     .step(Duration.ZERO, Fault.outage().duration(Duration.ofSeconds(10)))
 *     .step(Duration.ofSeconds(10), Fault.readOnly().duration(Duration.ofSeconds(20)))
 *     .hypothesis(Experiment.health("readiness", "UP"))
 *     .guard(Experiment.meter("http.server.requests", 5).tag("outcome", "SERVER_ERROR")));
 * ExperimentReport drill = client.run(Experiment.definition("failover-drill"));
 * </pre>
 *
 * @since 0.1.0
 */
public final class Experiment {

	/**
	 * How long {@link DbChaosClient#run(Experiment)} waits for a definition to end unless
	 * {@link #timeout(Duration)} says otherwise: its steps are in the service, so the
	 * client cannot tell how long it takes.
	 */
	public static final Duration DEFINITION_TIMEOUT = Duration.ofMinutes(10);

	/**
	 * How long a step without a duration is counted as lasting: the default of
	 * {@code dbchaos.default-duration}, which the service gives such a fault.
	 */
	static final Duration DEFAULT_STEP_DURATION = Duration.ofMinutes(5);

	/**
	 * How long the service takes to recover when the experiment does not say: its
	 * {@code recoverWithin} default.
	 */
	static final Duration DEFAULT_RECOVER_WITHIN = Duration.ofSeconds(30);

	/**
	 * Added to an experiment's own length for the checks' interval, a busy service and
	 * the requests that ask whether it has ended.
	 */
	static final Duration MARGIN = Duration.ofSeconds(30);

	private final @Nullable String definition;

	private final @Nullable String name;

	private final List<Step> steps = new ArrayList<>();

	private final List<Check> hypothesis = new ArrayList<>();

	private final List<Check> guards = new ArrayList<>();

	private @Nullable Duration recoverWithin;

	private @Nullable Duration timeout;

	private Experiment(@Nullable String definition, @Nullable String name) {
		this.definition = definition;
		this.name = name;
	}

	/**
	 * An experiment of steps, hypothesis and guards given here.
	 * @param name what it is about, shown in its report
	 * @return the experiment
	 */
	public static Experiment named(String name) {
		return new Experiment(null, name);
	}

	/**
	 * An experiment kept as a file in the service ({@code dbchaos.experiments.location}),
	 * started by its name: {@code failover-drill} for {@code failover-drill.yaml}.
	 * @param definition the definition's name
	 * @return the experiment
	 */
	public static Experiment definition(String definition) {
		return new Experiment(definition, null);
	}

	/**
	 * A check that holds while a health component or group has a status.
	 * @param health the component or group, such as {@code readiness}
	 * @param status the status, such as {@code UP}
	 * @return the check
	 */
	public static Check health(String health, String status) {
		Map<String, Object> members = new LinkedHashMap<>();
		members.put("health", health);
		members.put("status", status);
		return new Check(members);
	}

	/**
	 * A check that holds while a meter is at most {@code max}: for counters and timers
	 * their rate per second over the window, for gauges their value.
	 * @param meter the meter's name, such as {@code http.server.requests}
	 * @param max the most it may be
	 * @return the check, to which tags and a window can be added
	 */
	public static MeterCheck meter(String meter, double max) {
		return new MeterCheck(meter, max);
	}

	/**
	 * Add a step: a fault added at an offset from the start. A client bound to a scope
	 * limits the fault to that scope unless it names one, as {@link DbChaosClient#inject}
	 * does.
	 * @param at the offset from the start
	 * @param fault the fault, with its duration
	 * @return this experiment
	 */
	public Experiment step(Duration at, Fault fault) {
		requireSteps("step");
		this.steps.add(new Step(at, fault));
		return this;
	}

	/**
	 * Add a check of the hypothesis: it must hold before the first step and again within
	 * {@link #recoverWithin(Duration)} of the last fault's end.
	 * @param check the check
	 * @return this experiment
	 */
	public Experiment hypothesis(Check check) {
		requireSteps("hypothesis");
		this.hypothesis.add(check);
		return this;
	}

	/**
	 * Add a guard: the first to fail while the faults are active aborts the experiment.
	 * @param check the check
	 * @return this experiment
	 */
	public Experiment guard(Check check) {
		requireSteps("guard");
		this.guards.add(check);
		return this;
	}

	/**
	 * Set how long the hypothesis has to hold again after the last fault ends.
	 * @param recoverWithin the time
	 * @return this experiment
	 */
	public Experiment recoverWithin(Duration recoverWithin) {
		requireSteps("recoverWithin");
		this.recoverWithin = recoverWithin;
		return this;
	}

	/**
	 * Set how long {@link DbChaosClient#run(Experiment)} waits for the experiment to end
	 * before it aborts it.
	 * @param timeout the time
	 * @return this experiment
	 */
	public Experiment timeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	/**
	 * Return how long {@link DbChaosClient#run(Experiment)} waits for the experiment to
	 * end: as set, else, for a definition, {@link #DEFINITION_TIMEOUT}, else its last
	 * fault's end (a step without a duration counted as 5 minutes, the service's default)
	 * and its {@code recoverWithin}, with 30 s to spare.
	 * @return the time
	 */
	public Duration getTimeout() {
		if (this.timeout != null) {
			return this.timeout;
		}
		if (this.definition != null) {
			return DEFINITION_TIMEOUT;
		}
		Duration faults = Duration.ZERO;
		for (Step step : this.steps) {
			Duration duration = step.fault().duration();
			Duration end = step.at().plus((duration != null) ? duration : DEFAULT_STEP_DURATION);
			faults = (end.compareTo(faults) > 0) ? end : faults;
		}
		return faults.plus((this.recoverWithin != null) ? this.recoverWithin : DEFAULT_RECOVER_WITHIN).plus(MARGIN);
	}

	/**
	 * Return the JSON body the endpoint takes for this experiment.
	 * @return the JSON
	 */
	public String toJson() {
		return toJson(null);
	}

	/**
	 * Return the JSON body, each step's fault limited to a scope unless it names one.
	 * @param scope the scope, or {@code null} to send the faults as they are
	 * @return the JSON
	 */
	String toJson(@Nullable String scope) {
		if (this.definition != null) {
			return "{\"definition\":" + Json.quote(this.definition) + "}";
		}
		StringBuilder json = new StringBuilder("{\"name\":").append(Json.quote(String.valueOf(this.name)));
		json.append(",\"steps\":[");
		for (int i = 0; i < this.steps.size(); i++) {
			Step step = this.steps.get(i);
			Fault fault = (scope != null && step.fault().scope() == null) ? step.fault().copyWithScope(scope)
					: step.fault();
			json.append((i > 0) ? "," : "")
				.append("{\"at\":")
				.append(Json.quote(step.at().toMillis() + "ms"))
				.append(",\"fault\":")
				.append(fault.toJson())
				.append('}');
		}
		json.append(']');
		appendChecks(json, "hypothesis", this.hypothesis);
		if (this.recoverWithin != null) {
			json.append(",\"recoverWithin\":").append(Json.quote(this.recoverWithin.toMillis() + "ms"));
		}
		appendChecks(json, "guards", this.guards);
		return json.append('}').toString();
	}

	private static void appendChecks(StringBuilder json, String field, List<Check> checks) {
		if (checks.isEmpty()) {
			return;
		}
		json.append(",").append(Json.quote(field)).append(":[");
		for (int i = 0; i < checks.size(); i++) {
			json.append((i > 0) ? "," : "").append(checks.get(i).toJson());
		}
		json.append(']');
	}

	private void requireSteps(String what) {
		if (this.definition != null) {
			throw new IllegalStateException(
					"A definition's " + what + " is in its file: definition '" + this.definition + "' takes none");
		}
	}

	@Override
	public String toString() {
		return toJson();
	}

	private record Step(Duration at, Fault fault) {

	}

	/**
	 * A check of an experiment's hypothesis or guards.
	 */
	public static class Check {

		private final Map<String, Object> members;

		Check(Map<String, Object> members) {
			this.members = members;
		}

		Map<String, Object> members() {
			return this.members;
		}

		/**
		 * Return the check as the endpoint takes it.
		 * @return the JSON
		 */
		public String toJson() {
			return Json.write(this.members);
		}

		@Override
		public String toString() {
			return toJson();
		}

	}

	/**
	 * A check of a meter, to which tags and a window can be added.
	 */
	public static final class MeterCheck extends Check {

		private final Map<String, String> tags = new LinkedHashMap<>();

		MeterCheck(String meter, double max) {
			super(new LinkedHashMap<>());
			members().put("meter", meter);
			members().put("tags", this.tags);
			members().put("max", max);
		}

		/**
		 * Count only the meters with a tag.
		 * @param name the tag's name, such as {@code outcome}
		 * @param value its value, such as {@code SERVER_ERROR}
		 * @return this check
		 */
		public MeterCheck tag(String name, String value) {
			this.tags.put(name, value);
			return this;
		}

		/**
		 * Set the window a rate is taken over (10 s unless set).
		 * @param window the window
		 * @return this check
		 */
		public MeterCheck window(Duration window) {
			members().put("window", window.toMillis() + "ms");
			return this;
		}

	}

}
