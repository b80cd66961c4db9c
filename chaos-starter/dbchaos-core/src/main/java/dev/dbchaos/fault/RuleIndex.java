package dev.dbchaos.fault;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The active rules of a {@link FaultRegistry}, in the order they were activated, and
 * indexed so that a call looks only at those that could match it: the unscoped rules and
 * the rules of the calling thread's scope, each {@link RuleGroup group} tabled by data
 * source and operation and looked up by statement text. Rules of other scopes cost a call
 * nothing, however many there are.
 * <p>
 * Immutable: the registry replaces its index on every change, under its lock, and reads
 * it without one. A change rebuilds only the group of the changed rule's scope.
 */
final class RuleIndex {

	static final RuleIndex EMPTY = new RuleIndex(RuleGroup.NONE, RuleGroup.EMPTY, new HashMap<>());

	private final FaultRule[] rules;

	private final RuleGroup unscoped;

	// Never modified once the index is built; only groups with rules are in it.
	private final Map<String, RuleGroup> scoped;

	// The earliest instant at which a rule of this index expires, Long.MAX_VALUE when
	// none.
	private final long nextExpiryMillis;

	private RuleIndex(FaultRule[] rules, RuleGroup unscoped, Map<String, RuleGroup> scoped) {
		this.rules = rules;
		this.unscoped = unscoped;
		this.scoped = scoped;
		long next = Long.MAX_VALUE;
		for (FaultRule rule : rules) {
			next = Math.min(next, rule.expiresAtMillis());
		}
		this.nextExpiryMillis = next;
	}

	/**
	 * Return every active rule.
	 * @return the rules in the order they were activated; not to be modified
	 */
	FaultRule[] rules() {
		return this.rules;
	}

	boolean isEmpty() {
		return this.rules.length == 0;
	}

	/**
	 * Return whether any rule is limited to a scope, that is whether a call's scope
	 * matters.
	 * @return whether there are scoped rules
	 */
	boolean hasScopedRules() {
		return !this.scoped.isEmpty();
	}

	/**
	 * Return the rules limited to no scope.
	 * @return the group, empty when there are none
	 */
	RuleGroup unscoped() {
		return this.unscoped;
	}

	/**
	 * Return the rules limited to the given scope.
	 * @param scope the scope
	 * @return the group, or {@code null} when no rule is limited to that scope
	 */
	@Nullable RuleGroup scoped(String scope) {
		return this.scoped.get(scope);
	}

	/**
	 * Return whether a rule of this index has expired by the given time, and so must end
	 * before the index may be trusted to hold only rules that can fire.
	 * @param nowMillis the time, as {@code Clock.millis()}
	 * @return whether a rule has expired
	 */
	boolean anyExpiredAt(long nowMillis) {
		return nowMillis >= this.nextExpiryMillis;
	}

	boolean contains(FaultRule rule) {
		return indexOf(this.rules, rule) >= 0;
	}

	/**
	 * Return an index of these rules and the given one, activated after them.
	 * @param rule the rule
	 * @return the new index
	 */
	RuleIndex with(FaultRule rule) {
		FaultRule[] rules = Arrays.copyOf(this.rules, this.rules.length + 1);
		rules[rules.length - 1] = rule;
		String scope = rule.getSpec().getScope();
		if (scope == null) {
			return new RuleIndex(rules, this.unscoped.with(rule), this.scoped);
		}
		Map<String, RuleGroup> scoped = new HashMap<>(this.scoped);
		scoped.put(scope, scoped.getOrDefault(scope, RuleGroup.EMPTY).with(rule));
		return new RuleIndex(rules, this.unscoped, scoped);
	}

	/**
	 * Return an index of these rules but the given one.
	 * @param rule the rule, which must be one of the index's
	 * @return the new index
	 */
	RuleIndex without(FaultRule rule) {
		FaultRule[] rules = remove(this.rules, rule);
		if (rules.length == 0) {
			return EMPTY;
		}
		String scope = rule.getSpec().getScope();
		if (scope == null) {
			return new RuleIndex(rules, this.unscoped.without(rule), this.scoped);
		}
		Map<String, RuleGroup> scoped = new HashMap<>(this.scoped);
		RuleGroup group = scoped.get(scope).without(rule);
		if (group.isEmpty()) {
			scoped.remove(scope);
		}
		else {
			scoped.put(scope, group);
		}
		return new RuleIndex(rules, this.unscoped, scoped);
	}

	/**
	 * Return a copy of the rules without the given one, which must be among them.
	 * @param rules the rules, which are not modified
	 * @param rule the rule to leave out, found by identity
	 * @return the other rules in the same order, {@link RuleGroup#NONE} when none is left
	 */
	static FaultRule[] remove(FaultRule[] rules, FaultRule rule) {
		int index = indexOf(rules, rule);
		if (index < 0) {
			throw new IllegalArgumentException(rule + " is not among the rules");
		}
		if (rules.length == 1) {
			return RuleGroup.NONE;
		}
		FaultRule[] remaining = new FaultRule[rules.length - 1];
		System.arraycopy(rules, 0, remaining, 0, index);
		System.arraycopy(rules, index + 1, remaining, index, rules.length - index - 1);
		return remaining;
	}

	private static int indexOf(FaultRule[] rules, FaultRule rule) {
		for (int i = 0; i < rules.length; i++) {
			if (rules[i] == rule) {
				return i;
			}
		}
		return -1;
	}

}
