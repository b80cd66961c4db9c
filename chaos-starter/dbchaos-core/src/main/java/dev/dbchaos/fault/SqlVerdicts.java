package dev.dbchaos.fault;

import java.util.Arrays;
import java.util.function.BiPredicate;

import org.jspecify.annotations.Nullable;

/**
 * Which of a fixed set of rules with an {@code sql} pattern match a statement text,
 * remembered for the texts run lately. A prepared statement passes the same text on every
 * execution and a rule's pattern never changes, so each pattern runs once per text for as
 * long as the set lasts; the set is never changed but replaced (see {@link RuleGroup}),
 * which is what invalidates the answers when a rule is added or removed.
 * <p>
 * Memory is bounded: one slot per hash of the text, of a fixed number, an answer for
 * another text taking the place of the one before. Slots are read and written without
 * locks: an answer is immutable and always right for its text, so a thread that misses
 * another's write only works the answer out again.
 */
final class SqlVerdicts {

	// A power of two, so that a hash selects a slot by masking. Enough for the statements
	// an
	// application runs over and over; a miss costs one run of each pattern, as every call
	// used to.
	static final int SLOTS = 256;

	private final FaultRule[] rules;

	private final BiPredicate<FaultRule, String> evaluation;

	private final @Nullable Verdict[] slots = new Verdict[SLOTS];

	/**
	 * Remember which of the given rules match each text, by their {@code sql} patterns.
	 * @param rules the rules, each with an {@code sql} pattern, in the order they fire in
	 */
	SqlVerdicts(FaultRule[] rules) {
		this(rules, FaultRule::matchesSql);
	}

	/**
	 * Remember the answers of the given evaluation, which tests count.
	 * @param rules the rules, in the order they fire in
	 * @param evaluation whether a rule matches a text
	 */
	SqlVerdicts(FaultRule[] rules, BiPredicate<FaultRule, String> evaluation) {
		this.rules = rules;
		this.evaluation = evaluation;
	}

	/**
	 * Return the rules whose pattern matches the text.
	 * @param sql the statement text
	 * @return the matching rules in the order they fire in, often none; not to be
	 * modified
	 */
	FaultRule[] matching(String sql) {
		int slot = slotOf(sql);
		Verdict verdict = this.slots[slot];
		if (verdict != null && verdict.sql().equals(sql)) {
			return verdict.matching();
		}
		FaultRule[] matching = evaluate(sql);
		this.slots[slot] = new Verdict(sql, matching);
		return matching;
	}

	/**
	 * Return the slot a text's answer is kept in.
	 * @param sql the text
	 * @return the slot, from 0 to {@link #SLOTS} - 1
	 */
	static int slotOf(String sql) {
		// String caches its hash, so a statement run again costs no pass over its text
		// here.
		int hash = sql.hashCode();
		return (hash ^ (hash >>> 16)) & (SLOTS - 1);
	}

	private FaultRule[] evaluate(String sql) {
		FaultRule[] matching = new FaultRule[this.rules.length];
		int count = 0;
		for (FaultRule rule : this.rules) {
			if (this.evaluation.test(rule, sql)) {
				matching[count++] = rule;
			}
		}
		return (count > 0) ? Arrays.copyOf(matching, count) : RuleGroup.NONE;
	}

	/**
	 * The answer for one text.
	 */
	private record Verdict(String sql, FaultRule[] matching) {

	}

}
