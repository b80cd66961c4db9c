package dev.dbchaos.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.JdbcCall;

/**
 * What one rule that fired means for a JDBC call: hold it back, or fail it, and what the
 * failure does to the connection. {@link FaultInjector} decides, without touching the
 * connection; the connection (or, for a new connection, the data source) applies the
 * verdicts of a call in order, and the first failure ends the call. A call no rule fires
 * for has no verdict and proceeds.
 */
final class Verdict {

	private final Action action;

	private final @Nullable SQLException failure;

	private final @Nullable Hold hold;

	// For a broken result: how many rows it hands out before the connection is lost.
	private final int rows;

	private Verdict(Action action, @Nullable SQLException failure, @Nullable Hold hold) {
		this(action, failure, hold, 0);
	}

	private Verdict(Action action, @Nullable SQLException failure, @Nullable Hold hold, int rows) {
		this.action = action;
		this.failure = failure;
		this.hold = hold;
		this.rows = rows;
	}

	/**
	 * Fail the call; the connection stays as it is.
	 * @param failure what the call throws
	 * @return the verdict
	 */
	static Verdict fail(SQLException failure) {
		return new Verdict(Action.FAIL, failure, null);
	}

	/**
	 * Fail the call and lose the connection, as when the server or the network ended it.
	 * @param failure what the call throws
	 * @return the verdict
	 */
	static Verdict failAndTerminate(SQLException failure) {
		return new Verdict(Action.FAIL_AND_TERMINATE, failure, null);
	}

	/**
	 * Fail the statement and leave its transaction aborted, as the server leaves it after
	 * a statement's error, so that an application that catches the error and carries on
	 * meets what it would meet after the real one.
	 * @param failure what the call throws
	 * @return the verdict
	 */
	static Verdict failAndAbortTransaction(SQLException failure) {
		return new Verdict(Action.FAIL_AND_ABORT_TRANSACTION, failure, null);
	}

	/**
	 * Let the call reach the server, which applies it (and commits it, for a commit or a
	 * write in auto-commit mode), then fail it and lose the connection, as when the
	 * network drops before the server's reply arrives.
	 * @param failure what the call throws once it has run
	 * @return the verdict
	 */
	static Verdict failAfterCall(SQLException failure) {
		return new Verdict(Action.FAIL_AFTER_CALL, failure, null);
	}

	/**
	 * Let the query run, then lose the connection while its rows stream in: its result
	 * set hands out a number of rows, then fails as the driver's does (see
	 * {@link JdbcFailures#resultBroken()}), when the connection makes the failure.
	 * @param rows how many rows the result set hands out first
	 * @return the verdict
	 */
	static Verdict breakResult(int rows) {
		return new Verdict(Action.BREAK_RESULT, null, null, rows);
	}

	/**
	 * Hold the call back, then let it go on: a latency rule's delay, or a hang until its
	 * rule ends, whichever is shorter.
	 * @param hold how long and on which rule
	 * @return the verdict
	 */
	static Verdict delay(Hold hold) {
		return new Verdict(Action.DELAY, null, hold);
	}

	/**
	 * Hold the call back as a frozen server does: until the rule ends, when the call goes
	 * on, or until the driver would give up, when the timeout's verdict applies.
	 * @param hold how long at most and on which rule
	 * @param onTimeout the verdict when the wait times out
	 * @return the verdict
	 */
	static Verdict hang(Hold hold, Verdict onTimeout) {
		return new Verdict(Action.HANG, null, hold.timingOutAs(onTimeout));
	}

	/**
	 * Apply the verdicts of a call in order, as far as waiting goes: wait out each hold
	 * and stop at the first failure.
	 * @param verdicts the verdicts of the call
	 * @return the first failing verdict, for the caller to apply and throw; {@code null}
	 * when the call goes on
	 */
	static @Nullable Verdict firstFailure(List<Verdict> verdicts) {
		for (Verdict verdict : verdicts) {
			Verdict outcome = verdict.holds() ? verdict.await() : verdict;
			if (outcome != null) {
				return outcome;
			}
		}
		return null;
	}

	/**
	 * Return what the verdict does.
	 * @return the action
	 */
	Action action() {
		return this.action;
	}

	/**
	 * Return what the call throws, for a failing verdict.
	 * @return the failure, {@code null} for a verdict that only holds the call back, and
	 * for a broken result, whose failure the connection makes when the rows run out
	 */
	@Nullable SQLException failure() {
		return this.failure;
	}

	/**
	 * Return how many rows a broken result hands out before it fails.
	 * @return the rows, for {@link Action#BREAK_RESULT}
	 */
	int rows() {
		return this.rows;
	}

	/**
	 * Return whether the verdict lets the call go on and fails it later: after it ran, or
	 * in its result.
	 * @return whether the failure comes after the call
	 */
	boolean failsLater() {
		return this.action == Action.FAIL_AFTER_CALL || this.action == Action.BREAK_RESULT;
	}

	/**
	 * Wait out a holding verdict.
	 * @return {@code null} when the call goes on, otherwise the failing verdict to apply:
	 * the timeout's, or, when the thread was interrupted, one that fails the call and
	 * loses the connection, whose state the abandoned call leaves unknown (the
	 * interruption is kept on the thread)
	 */
	private @Nullable Verdict await() {
		return this.hold.await();
	}

	/**
	 * Return whether the verdict holds the call back before anything else.
	 * @return whether it is a delay or a hang
	 */
	private boolean holds() {
		return this.hold != null;
	}

	/**
	 * What a verdict does.
	 */
	enum Action {

		/**
		 * Hold the call back, then let it go on.
		 */
		DELAY,

		/**
		 * Hold the call back until the rule ends, or fail it at the timeout.
		 */
		HANG,

		/**
		 * Fail the call.
		 */
		FAIL,

		/**
		 * Fail the call and lose the connection.
		 */
		FAIL_AND_TERMINATE,

		/**
		 * Fail the statement and abort its transaction.
		 */
		FAIL_AND_ABORT_TRANSACTION,

		/**
		 * Let the call run on the server, then fail it and lose the connection.
		 */
		FAIL_AFTER_CALL,

		/**
		 * Let the query run, then fail its result set after a number of rows and lose the
		 * connection.
		 */
		BREAK_RESULT

	}

	/**
	 * A wait on a rule: it ends early when the rule does (so removing a rule releases its
	 * calls) and is recorded with the registry as the call's delay.
	 *
	 * @param registry the registry the delay is recorded with
	 * @param rule the rule
	 * @param call the call held back
	 * @param nanos how long at most, {@link Long#MAX_VALUE} for as long as the rule lasts
	 * @param onTimeout the verdict when the wait runs its full length, {@code null} to go
	 * on
	 * @param interruption the failure of a call whose wait is interrupted
	 */
	record Hold(FaultRegistry registry, FaultRule rule, JdbcCall call, long nanos, @Nullable Verdict onTimeout,
			Supplier<SQLException> interruption) {

		/**
		 * Create a wait that lets the call go on when it ends.
		 * @param registry the registry the delay is recorded with
		 * @param rule the rule
		 * @param call the call held back
		 * @param timeout how long at most, {@code null} for as long as the rule lasts
		 * @param interruption the failure of a call whose wait is interrupted
		 * @return the wait
		 */
		static Hold of(FaultRegistry registry, FaultRule rule, JdbcCall call, @Nullable Duration timeout,
				Supplier<SQLException> interruption) {
			long nanos = (timeout != null) ? timeout.toNanos() : Long.MAX_VALUE;
			return new Hold(registry, rule, call, nanos, null, interruption);
		}

		private Hold timingOutAs(Verdict verdict) {
			return new Hold(this.registry, this.rule, this.call, this.nanos, verdict, this.interruption);
		}

		private @Nullable Verdict await() {
			long start = System.nanoTime();
			try {
				boolean ended = this.rule.awaitEnd(this.nanos);
				return ended ? null : this.onTimeout;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return failAndTerminate(this.interruption.get());
			}
			finally {
				this.registry.recordDelay(this.rule, this.call, Duration.ofNanos(System.nanoTime() - start));
			}
		}

	}

}
