package dev.dbchaos.fault;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.DbChaosScope;

/**
 * The decision of which rules fire for a JDBC call: those the index offers whose other
 * filters match, whose probability roll succeeds and whose count is not used up, in the
 * order they were activated. Each that fires is counted as an injection and told to the
 * listeners; a rule whose count it uses up, or that a call finds expired, is ended
 * through the registry.
 */
final class RuleMatcher {

	private final Clock clock;

	private final Random random;

	private final FaultEvents events;

	private final Ending ending;

	/**
	 * Create the matcher of a registry.
	 * @param clock the clock rules expire by
	 * @param random the source of the probability rolls and of latency jitter
	 * @param events the registry's listeners, told of every injection
	 * @param ending ends a rule in the registry
	 */
	RuleMatcher(Clock clock, Random random, FaultEvents events, Ending ending) {
		this.clock = clock;
		this.random = random;
		this.events = events;
		this.ending = ending;
	}

	/**
	 * Fire the rules the index offers for the call. A call that none could match returns
	 * without reading the clock or allocating: the rules it does not see are ended by the
	 * expiry sweep, scheduled for their very instant, instead of by whichever call comes
	 * first.
	 * @param index the rules in force
	 * @param call the JDBC call about to be made
	 * @return the rules that fire, in the order they were activated; empty when none does
	 */
	List<FaultRule> fire(RuleIndex index, JdbcCall call) {
		if (index.isEmpty()) {
			return Collections.emptyList();
		}
		CallKind kind = call.kind();
		// Without scoped rules the scope decides nothing, and reading it costs a
		// thread-local.
		String scope = (kind.seesScopedRules() && index.hasScopedRules()) ? DbChaosScope.current() : null;
		String sql = call.sql();
		RuleGroup unscoped = index.unscoped();
		FaultRule[] unscopedWithoutSql = unscoped.withoutSql(call.dataSource(), call.operation());
		FaultRule[] unscopedWithSql = (sql != null) ? unscoped.withSql(sql) : RuleGroup.NONE;
		RuleGroup own = (scope != null) ? index.scoped(scope) : null;
		FaultRule[] ownWithoutSql = RuleGroup.NONE;
		FaultRule[] ownWithSql = RuleGroup.NONE;
		if (own != null) {
			ownWithoutSql = own.withoutSql(call.dataSource(), call.operation());
			ownWithSql = (sql != null) ? own.withSql(sql) : RuleGroup.NONE;
		}
		if (unscopedWithoutSql.length + unscopedWithSql.length + ownWithoutSql.length + ownWithSql.length == 0) {
			return Collections.emptyList();
		}
		long now = this.clock.millis();
		if (index.anyExpiredAt(now)) {
			// Rare: a rule's time is up and the sweep has not ended it yet. Walk every
			// rule, as that ends each expired one on the way and never fires it.
			return fireByScan(index.rules(), call, scope, now);
		}
		return fireInOrder(unscopedWithoutSql, unscopedWithSql, ownWithoutSql, ownWithSql, call);
	}

	/**
	 * Fire from the four lists of candidates, each in the order the rules were activated,
	 * merged into that order: rules fire, draw their probability rolls and tell the
	 * listeners exactly as a walk over every rule would. The lists are disjoint, and the
	 * index has already sorted them by scope.
	 * @param first the unscoped rules without an {@code sql} pattern for the call's data
	 * source and operation
	 * @param second the unscoped rules whose {@code sql} pattern the call's text matches
	 * @param third the rules of the calling thread's scope without an {@code sql} pattern
	 * for the call's data source and operation
	 * @param fourth the rules of the calling thread's scope whose {@code sql} pattern the
	 * call's text matches
	 * @param call the JDBC call about to be made
	 * @return the rules that fire, in the order they were activated; empty when none does
	 */
	private List<FaultRule> fireInOrder(FaultRule[] first, FaultRule[] second, FaultRule[] third, FaultRule[] fourth,
			JdbcCall call) {
		List<FaultRule> fired = null;
		int i = 0;
		int j = 0;
		int k = 0;
		int l = 0;
		while (true) {
			long a = (i < first.length) ? first[i].sequence() : Long.MAX_VALUE;
			long b = (j < second.length) ? second[j].sequence() : Long.MAX_VALUE;
			long c = (k < third.length) ? third[k].sequence() : Long.MAX_VALUE;
			long d = (l < fourth.length) ? fourth[l].sequence() : Long.MAX_VALUE;
			long next = Math.min(Math.min(a, b), Math.min(c, d));
			if (next == Long.MAX_VALUE) {
				return (fired != null) ? fired : Collections.emptyList();
			}
			FaultRule rule;
			if (next == a) {
				rule = first[i++];
			}
			else if (next == b) {
				rule = second[j++];
			}
			else if (next == c) {
				rule = third[k++];
			}
			else {
				rule = fourth[l++];
			}
			// The index vouches for scope and, where it has one, the sql pattern; the
			// other filters are checked as ever. No rule here has expired (see fire).
			if (!rule.hasEnded() && appliesToKind(rule, call.kind()) && matchesBesidesSql(rule.getSpec(), call)
					&& inject(rule, call)) {
				if (fired == null) {
					fired = new ArrayList<>(2);
				}
				fired.add(rule);
			}
		}
	}

	/**
	 * Walk every rule, as the registry did before it had an index: each expired rule is
	 * ended, the others fire if they match.
	 * @param active every active rule, in the order they were activated
	 * @param call the JDBC call about to be made
	 * @param scope the calling thread's scope, or {@code null} when it has none or it
	 * does not matter
	 * @param now the time the rules expire by, as {@code Clock.millis()}
	 * @return the rules that fire, in the order they were activated; empty when none does
	 */
	private List<FaultRule> fireByScan(FaultRule[] active, JdbcCall call, @Nullable String scope, long now) {
		List<FaultRule> fired = null;
		for (FaultRule rule : active) {
			if (rule.isExpired(now)) {
				this.ending.end(rule, RemovalReason.EXPIRED);
			}
			else if (!rule.hasEnded() && (call.kind().seesScopedRules() || rule.getSpec().getScope() == null)
					&& appliesToKind(rule, call.kind()) && matches(rule, call, scope) && inject(rule, call)) {
				if (fired == null) {
					fired = new ArrayList<>(2);
				}
				fired.add(rule);
			}
		}
		return (fired != null) ? fired : Collections.emptyList();
	}

	private static boolean appliesToKind(FaultRule rule, CallKind kind) {
		return kind.seesErrors() || !rule.getType().isError();
	}

	/**
	 * Roll the rule's probability and claim one of its count; if both succeed, record the
	 * injection and end the rule when its count is used up.
	 * @param rule a rule whose filters match the call
	 * @param call the JDBC call, as the listeners are told of it
	 * @return whether the rule fires
	 */
	private boolean inject(FaultRule rule, JdbcCall call) {
		if (!roll(rule.getSpec()) || !rule.claim()) {
			return false;
		}
		rule.recordInjection();
		this.events.injected(rule, call);
		if (rule.isUsedUp()) {
			this.ending.end(rule, RemovalReason.USED_UP);
		}
		return true;
	}

	/**
	 * Return how long a latency rule holds a call back this time: its delay plus a
	 * uniform random part of its jitter.
	 * @param rule the rule
	 * @return the delay
	 */
	Duration delayOf(FaultRule rule) {
		Duration delay = rule.getSpec().getDelay();
		if (delay == null) {
			return Duration.ZERO;
		}
		Duration jitter = rule.getSpec().getJitter();
		if (jitter == null || jitter.isZero()) {
			return delay;
		}
		return delay.plusNanos((long) (this.random.nextDouble() * jitter.toNanos()));
	}

	private static boolean matches(FaultRule rule, JdbcCall call, @Nullable String scope) {
		FaultSpec spec = rule.getSpec();
		if (spec.getScope() != null && !spec.getScope().equals(scope)) {
			return false;
		}
		if (!matchesBesidesSql(spec, call)) {
			return false;
		}
		return spec.getSql() == null || (call.sql() != null && rule.matchesSql(call.sql()));
	}

	/**
	 * The filters the index does not answer for every candidate: data source and
	 * operation (which it does answer for rules without an sql pattern, and which cost
	 * next to nothing to check again), and whether the call writes.
	 * @param spec the spec of a candidate rule
	 * @param call the JDBC call about to be made
	 * @return whether the spec's data source, operation and the calls its type affects
	 * (writes for a read-only fault, calls that commit for an ambiguous commit, reads for
	 * a result reset) match the call
	 */
	private static boolean matchesBesidesSql(FaultSpec spec, JdbcCall call) {
		if (spec.getDataSource() != null && !spec.getDataSource().equals(call.dataSource())) {
			return false;
		}
		if (!spec.getOperation().matches(call.operation())) {
			return false;
		}
		return switch (spec.getType()) {
			case READ_ONLY -> call.write();
			case AMBIGUOUS_COMMIT -> call.commits();
			case RESULT_RESET -> call.operation() == Operation.QUERY;
			// Held faults act on the server or the pool, never on a call.
			case LOCK, POOL_EXHAUSTION -> false;
			default -> true;
		};
	}

	private boolean roll(FaultSpec spec) {
		double probability = spec.getProbability();
		return probability >= 1.0 || (probability > 0.0 && this.random.nextDouble() < probability);
	}

	/**
	 * Ends a rule in the registry, telling the listeners; a rule ended already is left
	 * alone.
	 */
	@FunctionalInterface
	interface Ending {

		/**
		 * End the rule.
		 * @param rule the rule
		 * @param reason why it ends
		 * @return whether this call ended it
		 */
		boolean end(FaultRule rule, RemovalReason reason);

	}

}
