package dev.dbchaos.fault;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The active rules of one scope, or the unscoped ones, laid out so that a call finds the
 * few that could match it without looking at the others. Rules without an {@code sql}
 * pattern are tabled by data source and operation; rules with one are looked up by
 * statement text ({@link SqlVerdicts}). Every list keeps the order the rules were
 * activated in.
 * <p>
 * Immutable: a change to the rules makes a new group, which also drops the remembered SQL
 * answers of the old one, while the groups of other scopes, and their answers, stay as
 * they are.
 */
final class RuleGroup {

	/**
	 * No rules, shared by every empty list.
	 */
	static final FaultRule[] NONE = {};

	// Before EMPTY, which the constructor builds with it.
	private static final Operation[] OPERATIONS = Operation.values();

	static final RuleGroup EMPTY = new RuleGroup(NONE);

	private final FaultRule[] rules;

	// By the call's operation: the rules without an sql pattern for every data source,
	// which
	// are all that apply to a data source no rule names.
	private final FaultRule[][] forAnyDataSource;

	// By data source named by a rule, then by the call's operation: the rules without an
	// sql
	// pattern for that data source or for every one.
	private final Map<String, FaultRule[][]> byDataSource;

	// The rules with an sql pattern; null when there are none.
	private final @Nullable SqlVerdicts withSql;

	private RuleGroup(FaultRule[] rules) {
		this.rules = rules;
		List<FaultRule> withoutSql = new ArrayList<>(rules.length);
		List<FaultRule> withSql = new ArrayList<>();
		Set<String> dataSources = new LinkedHashSet<>();
		for (FaultRule rule : rules) {
			if (rule.getSpec().getSql() != null) {
				withSql.add(rule);
			}
			else {
				withoutSql.add(rule);
				if (rule.getSpec().getDataSource() != null) {
					dataSources.add(rule.getSpec().getDataSource());
				}
			}
		}
		this.forAnyDataSource = byOperation(withoutSql, null);
		this.byDataSource = new HashMap<>();
		for (String dataSource : dataSources) {
			this.byDataSource.put(dataSource, byOperation(withoutSql, dataSource));
		}
		this.withSql = withSql.isEmpty() ? null : new SqlVerdicts(withSql.toArray(NONE));
	}

	/**
	 * For each operation a call can have, the rules that apply to a call of that
	 * operation on the data source: exactly the filters {@link FaultRegistry} checks, so
	 * that a table never leaves out a rule that would match.
	 * @param rules the group's rules without an {@code sql} pattern, in the order they
	 * were activated
	 * @param dataSource a data source named by a rule, or {@code null} for any data
	 * source no rule names
	 * @return the rules per {@link Operation#ordinal() operation}, each in the order they
	 * were activated
	 */
	private static FaultRule[][] byOperation(List<FaultRule> rules, @Nullable String dataSource) {
		FaultRule[][] table = new FaultRule[OPERATIONS.length][];
		for (Operation call : OPERATIONS) {
			List<FaultRule> applicable = new ArrayList<>();
			for (FaultRule rule : rules) {
				String filter = rule.getSpec().getDataSource();
				if ((filter == null || filter.equals(dataSource)) && rule.getSpec().getOperation().matches(call)) {
					applicable.add(rule);
				}
			}
			table[call.ordinal()] = applicable.isEmpty() ? NONE : applicable.toArray(NONE);
		}
		return table;
	}

	/**
	 * Return the rules without an {@code sql} pattern that apply to a call of the given
	 * data source and operation.
	 * @param dataSource the call's data source, may be {@code null}
	 * @param operation the call's operation, may be {@code null}, which only rules for
	 * any operation match
	 * @return the rules in the order they were activated; not to be modified
	 */
	FaultRule[] withoutSql(@Nullable String dataSource, @Nullable Operation operation) {
		FaultRule[][] table = (dataSource != null) ? this.byDataSource.get(dataSource) : null;
		if (table == null) {
			table = this.forAnyDataSource;
		}
		return table[((operation != null) ? operation : Operation.ANY).ordinal()];
	}

	/**
	 * Return the rules with an {@code sql} pattern that the statement text matches,
	 * whatever their other filters.
	 * @param sql the statement text
	 * @return the rules in the order they were activated; not to be modified
	 */
	FaultRule[] withSql(String sql) {
		return (this.withSql != null) ? this.withSql.matching(sql) : NONE;
	}

	/**
	 * Return every rule of the group.
	 * @return the rules in the order they were activated; not to be modified
	 */
	FaultRule[] rules() {
		return this.rules;
	}

	boolean isEmpty() {
		return this.rules.length == 0;
	}

	/**
	 * Return a group of these rules and the given one, activated after them.
	 * @param rule the rule
	 * @return the new group
	 */
	RuleGroup with(FaultRule rule) {
		FaultRule[] rules = Arrays.copyOf(this.rules, this.rules.length + 1);
		rules[rules.length - 1] = rule;
		return new RuleGroup(rules);
	}

	/**
	 * Return a group of these rules but the given one.
	 * @param rule the rule, which must be one of the group's
	 * @return the new group, {@link #EMPTY} when no rule is left
	 */
	RuleGroup without(FaultRule rule) {
		FaultRule[] rules = RuleIndex.remove(this.rules, rule);
		return (rules.length > 0) ? new RuleGroup(rules) : EMPTY;
	}

}
