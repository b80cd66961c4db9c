package dev.dbchaos.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An experiment as it stands: what ran, what was seen, and the verdict.
 *
 * @param id the experiment's id
 * @param name its name
 * @param state {@code running}, {@code completed}, {@code aborted} or {@code refused}
 * @param verdict {@code null} while running, then {@code passed}, {@code failed},
 * {@code aborted} or {@code refused}
 * @param startedAt when it was started
 * @param endedAt when it ended, {@code null} while running
 * @param abortedBy what aborted it, {@code null} unless aborted
 * @param steps each step, with the fault it added
 * @param checks the results of each check
 * @param samples every checked quantity, sampled once a second from before the first step
 * to the end
 * @since 0.1.0
 */
public record ExperimentReport(String id, String name, String state, @Nullable String verdict, Instant startedAt,
		@Nullable Instant endedAt, @Nullable AbortedBy abortedBy, List<StepReport> steps, List<CheckReport> checks,
		List<Sample> samples) {

	/**
	 * Every verdict an experiment can end with.
	 */
	public static final List<String> VERDICTS = List.of("passed", "failed", "aborted", "refused");

	/**
	 * What a step did.
	 *
	 * @param at its offset from the start, such as {@code PT10S}
	 * @param type the type of its fault
	 * @param faultId the id of the fault it added, {@code null} until added
	 * @param startedAt when the fault was added
	 * @param endedAt when the fault ended
	 * @param error why the fault could not be added, or {@code null}
	 */
	public record StepReport(String at, String type, @Nullable String faultId, @Nullable Instant startedAt,
			@Nullable Instant endedAt, @Nullable String error) {

	}

	/**
	 * The results of one check.
	 *
	 * @param role {@code hypothesis} or {@code guard}
	 * @param check what is checked
	 * @param evaluations how often it was checked
	 * @param failures how often it did not hold
	 * @param first the first result (for the hypothesis: before the first step)
	 * @param last the last result (for the hypothesis: the recovery)
	 * @param firstFailure the first result that did not hold, or {@code null}
	 */
	public record CheckReport(String role, String check, int evaluations, int failures, @Nullable CheckResult first,
			@Nullable CheckResult last, @Nullable CheckResult firstFailure) {

	}

	/**
	 * One evaluation of a check.
	 *
	 * @param at when
	 * @param holds whether it held
	 * @param value what was observed
	 */
	public record CheckResult(Instant at, boolean holds, Object value) {

	}

	/**
	 * The observed quantities at one moment.
	 *
	 * @param at when
	 * @param values each observed quantity ({@link Check#observed()}) and its value
	 */
	public record Sample(Instant at, Map<String, Object> values) {

	}

	/**
	 * What aborted an experiment.
	 *
	 * @param reason {@code guard}, {@code operator}, {@code step} or {@code shutdown}
	 * @param check the guard that failed, or {@code null}
	 * @param observed the value the guard saw, or {@code null}
	 * @param operator who aborted it, or {@code null}
	 * @param message all of it in one line
	 */
	public record AbortedBy(String reason, @Nullable String check, @Nullable Object observed, @Nullable String operator,
			String message) {

		/**
		 * A failed guard.
		 * @param check the guard
		 * @param observation what it saw
		 * @return the cause
		 */
		public static AbortedBy guard(Check check, Observation observation) {
			return new AbortedBy("guard", check.description(), observation.value(), null,
					"guard " + check.description() + " failed: observed " + observation.value());
		}

		/**
		 * An operator.
		 * @param operator who
		 * @return the cause
		 */
		public static AbortedBy operator(String operator) {
			return new AbortedBy("operator", null, null, operator, "aborted by " + operator);
		}

		/**
		 * A step whose fault could not be added.
		 * @param index the step's index
		 * @param error why
		 * @return the cause
		 */
		public static AbortedBy step(int index, String error) {
			return new AbortedBy("step", null, null, null, "steps[" + index + "] could not add its fault: " + error);
		}

		/**
		 * The application shutting down.
		 * @return the cause
		 */
		public static AbortedBy shutdown() {
			return new AbortedBy("shutdown", null, null, null, "the application shut down");
		}

	}

}
