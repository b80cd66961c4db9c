package dev.dbchaos.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dbchaos.DbChaosScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the index of {@link FaultRegistry}: a call sees only the rules that could
 * match it, and what fires is exactly what a walk over every rule would fire.
 */
class RuleIndexTests {

	// Held faults never match a call and never enter the index.
	private static final FaultType[] MATCHING_TYPES = Arrays.stream(FaultType.values())
		.filter((type) -> !type.isHeld())
		.toArray(FaultType[]::new);

	private static final String[] SCOPES = { "s1", "s2", "s3", "s4" };

	private static final String[] DATA_SOURCES = { "ds1", "ds2", "ds3" };

	private static final String[] PATTERNS = { "orders", "(?i)^select", "^insert", "sneakers\\b", "x{2}", "(?i)FROM" };

	private static final String[] TEXTS = { "select * from orders", "SELECT id FROM sneakers",
			"insert into orders values (1)", "update xx set a = 1", "delete from sneakers_archive",
			"with t as (select 1) select * from t" };

	private final MutableClock clock = new MutableClock();

	private final List<FaultRegistry> registries = new ArrayList<>();

	@AfterEach
	void closeRegistries() {
		this.registries.forEach(FaultRegistry::close);
	}

	@Test
	void whatFiresIsExactlyWhatAWalkOverEveryRuleWouldFireForRandomRulesAndCalls() {
		Random random = new Random(20261122);
		FaultRegistry registry = registry(99);
		FullScan reference = new FullScan(new Random(99));
		int compared = 0;
		int fired = 0;
		for (int step = 0; step < 20_000; step++) {
			int action = random.nextInt(100);
			if (action < 15 || reference.rules.isEmpty()) {
				FaultRule rule = registry.add(randomSpec(random));
				reference.add(rule, this.clock.millis());
			}
			else if (action < 22) {
				FullScan.Rule gone = reference.rules.get(random.nextInt(reference.rules.size()));
				registry.remove(gone.id());
				reference.rules.remove(gone);
			}
			else if (action < 25) {
				this.clock.advance(Duration.ofSeconds(1 + random.nextInt(20)));
			}
			else {
				JdbcCall call = randomCall(random);
				String scope = (random.nextInt(3) == 0) ? null : "s" + (1 + random.nextInt(SCOPES.length + 1));
				Entry entry = Entry.values()[random.nextInt(Entry.values().length)];
				List<String> actual;
				try (DbChaosScope.Binding binding = DbChaosScope.bind(scope)) {
					actual = ids(entry.fire(registry, call));
				}
				List<String> expected = reference.fire(call, (entry == Entry.POOL) ? null : scope, entry != Entry.POOL,
						entry != Entry.ROLLBACK, this.clock.millis());
				assertThat(actual).as("step %d: %s in scope %s via %s", step, call, scope, entry).isEqualTo(expected);
				compared++;
				fired += expected.isEmpty() ? 0 : 1;
			}
		}
		registry.expireDue();
		assertThat(ids(registry.getRules())).isEqualTo(reference.activeIds(this.clock.millis()));
		// The run means something only if both outcomes were common.
		assertThat(fired).isBetween(compared / 20, compared - compared / 20);
	}

	@Test
	void aThousandRulesOfOtherScopesChangeNothingThatFires() {
		Random random = new Random(13);
		FaultRegistry alone = registry(7);
		FaultRegistry crowded = registry(7);
		for (int i = 0; i < 1000; i++) {
			// Rules that would fire for every call, were the calls made in their scope.
			FaultSpec.Builder other = FaultSpec.builder((i % 2 == 0) ? FaultType.OUTAGE : FaultType.ERROR)
				.scope("other-" + (i % 250))
				.sqlState((i % 2 == 0) ? null : "40001")
				.sql((i % 3 == 0) ? "(?i)select|insert" : null);
			crowded.add(other.build());
			if (i % 100 == 0) {
				// Mine, between theirs: same ids and order in both registries.
				FaultSpec mine = randomSpec(random);
				FaultSpec withId = copyWithId(mine, "mine-" + i);
				alone.add(withId);
				crowded.add(withId);
			}
		}
		List<List<String>> withoutOthers = new ArrayList<>();
		List<List<String>> withOthers = new ArrayList<>();
		Random calls = new Random(5);
		for (int i = 0; i < 2000; i++) {
			JdbcCall call = randomCall(calls);
			String scope = calls.nextBoolean() ? "s1" : null;
			Entry entry = Entry.values()[calls.nextInt(Entry.values().length)];
			try (DbChaosScope.Binding binding = DbChaosScope.bind(scope)) {
				withoutOthers.add(ids(entry.fire(alone, call)));
				withOthers.add(ids(entry.fire(crowded, call)));
			}
		}
		assertThat(withOthers).isEqualTo(withoutOthers);
		assertThat(withoutOthers.stream().filter((ids) -> !ids.isEmpty()).count()).isPositive();
		assertThat(crowded.getRules().stream().filter((rule) -> rule.getId().startsWith("mine-")).map(FaultRule::getId))
			.isEqualTo(ids(alone.getRules()));
	}

	@Test
	void aRuleAddedAfterAStatementRanIsMatchedAgainstThatStatementsText() {
		FaultRegistry registry = registry(1);
		JdbcCall select = new JdbcCall(Operation.QUERY, "select * from sneakers", false, "dataSource");
		registry.add(FaultSpec.builder(FaultType.OUTAGE).sql("orders").build());
		assertThat(registry.fire(select)).isEmpty();
		FaultRule sneakers = registry.add(FaultSpec.builder(FaultType.OUTAGE).sql("sneakers").build());
		assertThat(registry.fire(select)).containsExactly(sneakers);
		FaultRule scoped = registry.add(FaultSpec.builder(FaultType.HANG).sql("from").scope("t-1").build());
		try (DbChaosScope.Binding binding = DbChaosScope.bind("t-1")) {
			assertThat(registry.fire(select)).containsExactly(sneakers, scoped);
		}
	}

	@Test
	void aRemovedRuleNoLongerMatchesATextItMatchedBefore() {
		FaultRegistry registry = registry(1);
		JdbcCall select = new JdbcCall(Operation.QUERY, "select * from sneakers", false, "dataSource");
		FaultRule first = registry.add(FaultSpec.builder(FaultType.OUTAGE).sql("sneakers").build());
		FaultRule second = registry.add(FaultSpec.builder(FaultType.HANG).sql("select").build());
		assertThat(registry.fire(select)).containsExactly(first, second);
		registry.remove(first.getId());
		assertThat(registry.fire(select)).containsExactly(second);
		registry.remove(second.getId());
		assertThat(registry.fire(select)).isEmpty();
		FaultRule scoped = registry.add(FaultSpec.builder(FaultType.HANG).sql("select").scope("t-1").build());
		try (DbChaosScope.Binding binding = DbChaosScope.bind("t-1")) {
			assertThat(registry.fire(select)).containsExactly(scoped);
			registry.remove(scoped.getId());
			assertThat(registry.fire(select)).isEmpty();
		}
	}

	@Test
	void aStatementTextEqualToOneSeenBeforeGetsTheSameAnswer() {
		FaultRegistry registry = registry(1);
		FaultRule rule = registry.add(FaultSpec.builder(FaultType.OUTAGE).sql("sneakers").build());
		assertThat(registry.fire(new JdbcCall(Operation.QUERY, "select * from sneakers", false, "d")))
			.containsExactly(rule);
		String sameText = new String("select * from sneakers".toCharArray());
		assertThat(registry.fire(new JdbcCall(Operation.QUERY, sameText, false, "d"))).containsExactly(rule);
		assertThat(registry.fire(new JdbcCall(Operation.QUERY, "select * from orders", false, "d"))).isEmpty();
	}

	@Test
	void expiredRulesNeverFireEvenBeforeTheSweepEndsThem() {
		FaultRegistry registry = registry(1);
		FaultRule scoped = registry
			.add(FaultSpec.builder(FaultType.OUTAGE).scope("t-1").duration(Duration.ofSeconds(10)).build());
		FaultRule otherDataSource = registry
			.add(FaultSpec.builder(FaultType.OUTAGE).dataSource("reporting").duration(Duration.ofSeconds(10)).build());
		FaultRule longLived = registry.add(FaultSpec.builder(FaultType.HANG).duration(Duration.ofMinutes(10)).build());
		this.clock.advance(Duration.ofSeconds(10));
		try (DbChaosScope.Binding binding = DbChaosScope.bind("t-1")) {
			assertThat(registry.fire(new JdbcCall(Operation.QUERY, "select 1", false, "reporting")))
				.containsExactly(longLived);
		}
		assertThat(scoped.hasEnded()).isTrue();
		assertThat(otherDataSource.hasEnded()).isTrue();
		assertThat(registry.getRules()).containsExactly(longLived);
	}

	@Test
	void aCallThatNoRuleCouldMatchLeavesExpiredRulesToTheSweep() {
		List<RemovalReason> reasons = new ArrayList<>();
		FaultRegistry registry = registry(1);
		registry.addListener(new FaultListener() {
			@Override
			public void removed(FaultRule rule, RemovalReason reason) {
				reasons.add(reason);
			}
		});
		FaultRule scoped = registry
			.add(FaultSpec.builder(FaultType.OUTAGE).scope("t-1").duration(Duration.ofSeconds(10)).build());
		this.clock.advance(Duration.ofSeconds(10));
		// Such a call reads no clock, so it cannot know; the sweep is scheduled for the
		// instant.
		assertThat(registry.fire(new JdbcCall(Operation.QUERY, "select 1", false, "dataSource"))).isEmpty();
		assertThat(scoped.hasEnded()).isFalse();
		assertThat(registry.expireDue()).containsExactly(scoped);
		assertThat(reasons).containsExactly(RemovalReason.EXPIRED);
	}

	@Test
	void rulesChangedConcurrentlyAreInForceFromTheirAddUntilTheirRemoveAndNoLonger() throws Exception {
		FaultRegistry registry = registry(1);
		JdbcCall select = new JdbcCall(Operation.QUERY, "select * from orders", false, "dataSource");
		int workers = 4;
		ExecutorService executor = Executors.newFixedThreadPool(workers + 1);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int worker = 0; worker < workers; worker++) {
				String scope = "w-" + worker;
				boolean withSql = worker % 2 == 0;
				futures.add(executor.submit(() -> {
					try (DbChaosScope.Binding binding = DbChaosScope.bind(scope)) {
						for (int i = 0; i < 500; i++) {
							FaultSpec.Builder spec = FaultSpec.builder(FaultType.OUTAGE).scope(scope);
							if (withSql && i % 2 == 0) {
								spec.sql("orders");
							}
							FaultRule rule = registry.add(spec.build());
							assertThat(registry.fire(select)).as("%s after adding %s", scope, rule)
								.containsExactly(rule);
							assertThat(registry.remove(rule.getId())).contains(rule);
							assertThat(registry.fire(select)).as("%s after removing %s", scope, rule).isEmpty();
						}
					}
					return null;
				}));
			}
			// Unscoped churn that never matches the workers' calls: their group is
			// rebuilt meanwhile.
			futures.add(executor.submit(() -> {
				for (int i = 0; i < 500; i++) {
					FaultSpec.Builder spec = FaultSpec.builder(FaultType.OUTAGE);
					if (i % 2 == 0) {
						spec.sql("no_such_table");
					}
					else {
						spec.dataSource("elsewhere");
					}
					FaultRule rule = registry.add(spec.build());
					assertThat(registry.remove(rule.getId())).contains(rule);
				}
				return null;
			}));
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(registry.isIdle()).isTrue();
		assertThat(registry.fire(select)).isEmpty();
	}

	private FaultRegistry registry(long seed) {
		FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1), this.clock,
				new Random(seed));
		this.registries.add(registry);
		return registry;
	}

	private static FaultSpec randomSpec(Random random) {
		FaultType type = MATCHING_TYPES[random.nextInt(MATCHING_TYPES.length)];
		FaultSpec.Builder spec = FaultSpec.builder(type).duration(Duration.ofSeconds(10 + random.nextInt(200)));
		Operation operation = Operation.ANY;
		if (random.nextInt(3) > 0) {
			Operation[] operations = switch (type) {
				case READ_ONLY -> new Operation[] { Operation.ANY, Operation.QUERY, Operation.UPDATE };
				case AMBIGUOUS_COMMIT -> new Operation[] { Operation.ANY, Operation.COMMIT };
				case RESULT_RESET -> new Operation[] { Operation.ANY, Operation.QUERY };
				default -> Operation.values();
			};
			operation = operations[random.nextInt(operations.length)];
			spec.operation(operation);
		}
		// A commit has no text: an ambiguous commit takes a pattern only for auto-commit
		// writes.
		if (random.nextBoolean() && !(type == FaultType.AMBIGUOUS_COMMIT && operation == Operation.COMMIT)) {
			spec.sql(PATTERNS[random.nextInt(PATTERNS.length)]);
		}
		if (type == FaultType.RESULT_RESET) {
			spec.afterRows(random.nextInt(3));
		}
		if (random.nextBoolean()) {
			spec.dataSource(DATA_SOURCES[random.nextInt(DATA_SOURCES.length)]);
		}
		if (random.nextBoolean()) {
			spec.scope(SCOPES[random.nextInt(SCOPES.length)]);
		}
		int probability = random.nextInt(10);
		spec.probability((probability < 6) ? 1.0 : (probability < 9) ? 0.5 : 0.0);
		if (random.nextInt(4) == 0) {
			spec.count(1 + random.nextInt(3));
		}
		if (type == FaultType.LATENCY) {
			spec.delay(Duration.ofMillis(1));
		}
		if (type == FaultType.ERROR) {
			spec.sqlState("40001");
		}
		return spec.build();
	}

	private static FaultSpec copyWithId(FaultSpec spec, String id) {
		return FaultSpec.builder(spec.getType())
			.id(id)
			.operation(spec.getOperation())
			.sql((spec.getSql() != null) ? spec.getSql().pattern() : null)
			.dataSource(spec.getDataSource())
			.scope(spec.getScope())
			.probability(spec.getProbability())
			.count(spec.getCount())
			.duration(spec.getDuration())
			.delay(spec.getDelay())
			.sqlState(spec.getSqlState())
			.afterRows(spec.getAfterRows())
			.build();
	}

	private static JdbcCall randomCall(Random random) {
		Operation operation = Operation.values()[random.nextInt(Operation.values().length)];
		String sql = null;
		if (operation == Operation.QUERY || operation == Operation.UPDATE) {
			sql = TEXTS[random.nextInt(TEXTS.length)];
			if (random.nextBoolean()) {
				// An equal text in another string, as a statement built at run time
				// passes.
				sql = new String(sql.toCharArray());
			}
		}
		String dataSource = (random.nextInt(8) == 0) ? null : "ds" + (1 + random.nextInt(DATA_SOURCES.length + 1));
		JdbcCall call = new JdbcCall(operation, sql, random.nextBoolean(), dataSource);
		// Some writes run in auto-commit mode, which commits them.
		return (operation == Operation.UPDATE && random.nextBoolean()) ? call.inAutoCommit() : call;
	}

	private static List<String> ids(List<FaultRule> rules) {
		return rules.stream().map(FaultRule::getId).toList();
	}

	/**
	 * The registry's ways of asking which rules fire.
	 */
	private enum Entry {

		CALL {
			@Override
			List<FaultRule> fire(FaultRegistry registry, JdbcCall call) {
				return registry.fire(call);
			}
		},

		ROLLBACK {
			@Override
			List<FaultRule> fire(FaultRegistry registry, JdbcCall call) {
				return registry.fire(call.as(CallKind.ROLLBACK));
			}
		},

		POOL {
			@Override
			List<FaultRule> fire(FaultRegistry registry, JdbcCall call) {
				return registry.fire(call.as(CallKind.POOL_VALIDATION));
			}
		};

		abstract List<FaultRule> fire(FaultRegistry registry, JdbcCall call);

	}

	/**
	 * The rules of a registry as the plainest implementation keeps them: a list walked in
	 * full on every call, each filter checked as documented, the same random source drawn
	 * in the same order. Patterns run with {@link Pattern} directly: the texts here are
	 * short.
	 */
	private static final class FullScan {

		private final List<Rule> rules = new ArrayList<>();

		private final Random random;

		FullScan(Random random) {
			this.random = random;
		}

		void add(FaultRule rule, long nowMillis) {
			FaultSpec spec = rule.getSpec();
			Duration duration = (spec.getDuration() != null) ? spec.getDuration() : Duration.ofMinutes(5);
			this.rules.add(new Rule(rule.getId(), spec, nowMillis + duration.toMillis(),
					new int[] { (spec.getCount() != null) ? spec.getCount() : -1 }));
		}

		List<String> fire(JdbcCall call, String scope, boolean scopedRules, boolean errors, long nowMillis) {
			List<String> fired = new ArrayList<>();
			Iterator<Rule> rules = this.rules.iterator();
			while (rules.hasNext()) {
				Rule rule = rules.next();
				FaultSpec spec = rule.spec();
				if (nowMillis >= rule.expiresAtMillis()) {
					rules.remove();
					continue;
				}
				boolean matches = (spec.getScope() == null || (scopedRules && spec.getScope().equals(scope)))
						&& (errors || (spec.getType() != FaultType.ERROR && spec.getType() != FaultType.READ_ONLY))
						&& (spec.getDataSource() == null || spec.getDataSource().equals(call.dataSource()))
						&& (spec.getOperation() == Operation.ANY || spec.getOperation() == call.operation())
						&& (spec.getType() != FaultType.READ_ONLY || call.write())
						&& (spec.getType() != FaultType.AMBIGUOUS_COMMIT || call.commits())
						&& (spec.getType() != FaultType.RESULT_RESET || call.operation() == Operation.QUERY)
						&& (spec.getSql() == null || (call.sql() != null && spec.getSql().matcher(call.sql()).find()));
				if (!matches) {
					continue;
				}
				double probability = spec.getProbability();
				boolean rolled = probability >= 1.0 || (probability > 0.0 && this.random.nextDouble() < probability);
				if (!rolled) {
					continue;
				}
				int[] remaining = rule.remaining();
				if (remaining[0] == 0) {
					continue;
				}
				fired.add(rule.id());
				if (remaining[0] > 0 && --remaining[0] == 0) {
					rules.remove();
				}
			}
			return fired;
		}

		List<String> activeIds(long nowMillis) {
			return this.rules.stream().filter((rule) -> nowMillis < rule.expiresAtMillis()).map(Rule::id).toList();
		}

		/**
		 * One rule: its spec, when it expires and how many injections it has left (-1: no
		 * count).
		 */
		private record Rule(String id, FaultSpec spec, long expiresAtMillis, int[] remaining) {

		}

	}

}
