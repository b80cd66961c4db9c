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

	private Verdict(Action action, @Nullable SQLException failure, @Nullable Hold hold) {
		this.action = action;
		this.failure = failure;
		this.hold = hold;
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
	 * @return the failure, {@code null} for a verdict that only holds the call back
	 */
	@Nullable SQLException failure() {
		return this.failure;
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
		FAIL_AND_ABORT_TRANSACTION

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
