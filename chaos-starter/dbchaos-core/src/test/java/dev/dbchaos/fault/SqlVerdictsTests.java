package dev.dbchaos.fault;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SqlVerdicts}: each rule's pattern runs once per statement text,
 * however often the text runs, and the answers are always those of the patterns.
 */
class SqlVerdictsTests {

	private final List<String> evaluations = new ArrayList<>();

	private final BiPredicate<FaultRule, String> counting = (rule, sql) -> {
		this.evaluations.add(rule.getId() + ": " + sql);
		return rule.matchesSql(sql);
	};

	private final FaultRule orders = rule("orders", "orders");

	private final FaultRule select = rule("select", "(?i)^select");

	private final FaultRule sneakers = rule("sneakers", "sneakers");

	@Test
	void eachPatternRunsOncePerTextHoweverOftenTheTextRuns() {
		SqlVerdicts verdicts = new SqlVerdicts(new FaultRule[] { this.orders, this.select, this.sneakers },
				this.counting);
		String text = "select * from orders";
		for (int i = 0; i < 100; i++) {
			assertThat(verdicts.matching(text)).containsExactly(this.orders, this.select);
		}
		assertThat(verdicts.matching(new String(text.toCharArray()))).containsExactly(this.orders, this.select);
		assertThat(this.evaluations).containsExactly("orders: " + text, "select: " + text, "sneakers: " + text);
	}

	@Test
	void anotherTextRunsThePatternsAgain() {
		SqlVerdicts verdicts = new SqlVerdicts(new FaultRule[] { this.orders, this.sneakers }, this.counting);
		assertThat(verdicts.matching("select * from orders")).containsExactly(this.orders);
		assertThat(verdicts.matching("delete from sneakers")).containsExactly(this.sneakers);
		assertThat(verdicts.matching("select 1")).isEmpty();
		assertThat(this.evaluations).hasSize(6);
	}

	@Test
	void aNewSetOfRulesKnowsNoAnswersOfTheOldOne() {
		String text = "select * from orders";
		new SqlVerdicts(new FaultRule[] { this.orders }, this.counting).matching(text);
		SqlVerdicts changed = new SqlVerdicts(new FaultRule[] { this.orders, this.sneakers }, this.counting);
		assertThat(changed.matching(text)).containsExactly(this.orders);
		assertThat(this.evaluations).containsExactly("orders: " + text, "orders: " + text, "sneakers: " + text);
	}

	@Test
	void textsThatShareASlotEachGetTheirOwnAnswer() {
		String first = "select * from orders";
		String second = null;
		for (int i = 0; second == null; i++) {
			String candidate = "delete from sneakers where id = " + i;
			if (SqlVerdicts.slotOf(candidate) == SqlVerdicts.slotOf(first)) {
				second = candidate;
			}
		}
		SqlVerdicts verdicts = new SqlVerdicts(new FaultRule[] { this.orders, this.sneakers }, this.counting);
		for (int i = 0; i < 3; i++) {
			assertThat(verdicts.matching(first)).containsExactly(this.orders);
			assertThat(verdicts.matching(second)).containsExactly(this.sneakers);
		}
	}

	@Test
	void aCatastrophicPatternIsANonMatchAndStaysOne() {
		FaultRule evil = rule("evil", "(a+)+$");
		SqlVerdicts verdicts = new SqlVerdicts(new FaultRule[] { evil }, this.counting);
		String text = "a".repeat(5000) + "!";
		assertThat(verdicts.matching(text)).isEmpty();
		assertThat(verdicts.matching(text)).isEmpty();
		assertThat(this.evaluations).hasSize(1);
	}

	private static FaultRule rule(String id, String sql) {
		Instant now = Instant.parse("2026-01-01T00:00:00Z");
		return new FaultRule(id, FaultSpec.builder(FaultType.OUTAGE).id(id).sql(sql).build(), now, now.plusSeconds(60),
				id.hashCode());
	}

}
