package dev.dbchaos.fault;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * An active fault: a {@link FaultSpec} with its id, lifetime and injection count. Created
 * by a {@link FaultRegistry}; ends when it is removed, expires or has used up its
 * {@code count}.
 *
 * @since 0.1.0
 */
public final class FaultRule {

	private final String id;

	private final FaultSpec spec;

	private final Instant createdAt;

	private final Instant expiresAt;

	// The same instant as a number, so that the per-call expiry check allocates nothing.
	private final long expiresAtMillis;

	private final AtomicLong injections = new AtomicLong();

	private final @Nullable AtomicInteger remaining;

	// The order the registry activated its rules in, which is the order they fire in.
	private final long sequence;

	// Counted down when the rule ends, so that calls hanging on it go on at once.
	private final CountDownLatch ended = new CountDownLatch(1);

	FaultRule(String id, FaultSpec spec, Instant createdAt, Instant expiresAt, long sequence) {
		this.id = id;
		this.spec = spec;
		this.createdAt = createdAt;
		this.expiresAt = expiresAt;
		// Rounded up, so that a rule never ends before its time, at most a millisecond
		// after.
		long millis = expiresAt.toEpochMilli();
		this.expiresAtMillis = (expiresAt.getNano() % 1_000_000 == 0) ? millis : millis + 1;
		this.remaining = (spec.getCount() != null) ? new AtomicInteger(spec.getCount()) : null;
		this.sequence = sequence;
	}

	public String getId() {
		return this.id;
	}

	public FaultSpec getSpec() {
		return this.spec;
	}

	public FaultType getType() {
		return this.spec.getType();
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public Instant getExpiresAt() {
		return this.expiresAt;
	}

	/**
	 * Return how many calls this rule has affected so far.
	 * @return the number of injections
	 */
	public long getInjections() {
		return this.injections.get();
	}

	/**
	 * Return how many more injections the rule makes before it removes itself.
	 * @return the remaining count, or {@code null} when the rule has no count
	 */
	public @Nullable Integer getRemaining() {
		return (this.remaining != null) ? this.remaining.get() : null;
	}

	/**
	 * Return whether the rule has ended: removed, expired or used up.
	 * @return whether the rule has ended
	 */
	public boolean hasEnded() {
		return this.ended.getCount() == 0;
	}

	/**
	 * Wait until the rule ends or the timeout elapses, whichever comes first.
	 * @param timeoutNanos how long to wait at most
	 * @return whether the rule ended
	 * @throws InterruptedException if the thread was interrupted while waiting
	 */
	public boolean awaitEnd(long timeoutNanos) throws InterruptedException {
		return this.ended.await(timeoutNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * The check on every JDBC call, in whole milliseconds so that it allocates nothing:
	 * never early, at most a millisecond late.
	 * @param nowMillis the time, as {@code Clock.millis()}
	 * @return whether the rule's time is up
	 */
	boolean isExpired(long nowMillis) {
		return nowMillis >= this.expiresAtMillis;
	}

	/**
	 * The instant {@link #isExpired(long)} answers {@code true} from, for the index to
	 * know when its earliest rule ends.
	 * @return the expiry instant in epoch milliseconds, rounded up to a whole millisecond
	 */
	long expiresAtMillis() {
		return this.expiresAtMillis;
	}

	/**
	 * Return the rule's place in the order its registry activated rules in: a rule
	 * activated later has a greater number.
	 * @return the sequence number
	 */
	long sequence() {
		return this.sequence;
	}

	/**
	 * The exact check of the expiry sweep, which is scheduled for the rule's very
	 * instant.
	 * @param now the time
	 * @return whether the rule's time is up, its expiry instant included
	 */
	boolean isExpired(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

	/**
	 * Return whether the statement text contains a match of the rule's {@code sql}
	 * pattern. The answer depends on nothing but the text, so the registry's index keeps
	 * it per text ({@link SqlVerdicts}) instead of asking again on every execution.
	 * @param sql the statement text
	 * @return whether it matches
	 */
	boolean matchesSql(String sql) {
		return SqlPatterns.find(this.spec.getSql(), sql);
	}

	/**
	 * Claim one injection against the rule's count.
	 * @return {@code true} if this claim may inject, {@code false} if the count is used
	 * up
	 */
	boolean claim() {
		if (this.remaining == null) {
			return true;
		}
		int left;
		do {
			left = this.remaining.get();
			if (left <= 0) {
				return false;
			}
		}
		while (!this.remaining.compareAndSet(left, left - 1));
		return true;
	}

	boolean isUsedUp() {
		return this.remaining != null && this.remaining.get() <= 0;
	}

	void recordInjection() {
		this.injections.incrementAndGet();
	}

	void end() {
		this.ended.countDown();
	}

	@Override
	public String toString() {
		return this.id + " [" + this.spec + "]";
	}

}
