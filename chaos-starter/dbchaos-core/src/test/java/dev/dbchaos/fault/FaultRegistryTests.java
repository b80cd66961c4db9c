package dev.dbchaos.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.Registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link FaultRegistry}.
 */
class FaultRegistryTests {

	private static final JdbcCall SELECT = new JdbcCall(Operation.QUERY, "select * from sneakers", false, "dataSource");

	private static final JdbcCall INSERT = new JdbcCall(Operation.UPDATE, "insert into orders values (1)", true,
			"dataSource");

	private static final JdbcCall CONNECT = new JdbcCall(Operation.CONNECT, null, false, "dataSource");

	private final MutableClock clock = new MutableClock();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1), this.clock,
			new Random(42));

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void heldFaultIsTakenWhenAddedAndReleasedOnceWhenRemoved() {
		RecordingHolder holder = new RecordingHolder();
		this.registry.addHolder(FaultType.POOL_EXHAUSTION, "dataSource", holder);
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).build());
		assertThat(holder.held).containsExactly(rule.getId());
		assertThat(this.registry.getRules()).containsExactly(rule);
		assertThat(this.registry.fire(SELECT)).as("a held fault never matches a call").isEmpty();
		assertThat(this.registry.fire(CONNECT)).isEmpty();
		this.registry.remove(rule.getId());
		this.registry.remove(rule.getId());
		assertThat(holder.released).containsExactly(rule.getId());
	}

	@Test
	void heldFaultIsReleasedWhenItExpiresAndWhenTheRegistryShutsDown() {
		RecordingHolder holder = new RecordingHolder();
		this.registry.addHolder(FaultType.LOCK, "dataSource", holder);
		FaultRule expiring = this.registry
			.add(FaultSpec.builder(FaultType.LOCK).table("stock").duration(Duration.ofSeconds(10)).build());
		FaultRule lasting = this.registry.add(FaultSpec.builder(FaultType.LOCK).table("orders").build());
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.registry.expireDue()).containsExactly(expiring);
		assertThat(holder.released).containsExactly(expiring.getId());
		this.registry.close();
		assertThat(holder.released).containsExactly(expiring.getId(), lasting.getId());
	}

	@Test
	void heldFaultARefusesLeavesNothingHeldAndNothingInForce() {
		RecordingHolder taking = new RecordingHolder();
		this.registry.addHolder(FaultType.POOL_EXHAUSTION, "orders", taking);
		this.registry.addHolder(FaultType.POOL_EXHAUSTION, "stock", (rule) -> {
			throw new InvalidFaultException("connections", "must not exceed the pool's maximum of 4 connections");
		});
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).connections(8).build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("connections"));
		assertThat(this.registry.getRules()).isEmpty();
		assertThat(taking.held).hasSize(1);
		assertThat(taking.released).isEqualTo(taking.held);
	}

	@Test
	void heldFaultIsHeldOnItsDataSourceOnlyAndRefusedWhereNoneCanHoldIt() {
		RecordingHolder orders = new RecordingHolder();
		RecordingHolder stock = new RecordingHolder();
		this.registry.addHolder(FaultType.POOL_EXHAUSTION, "orders", orders);
		this.registry.addHolder(FaultType.POOL_EXHAUSTION, "stock", stock);
		this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).dataSource("stock").build());
		assertThat(orders.held).isEmpty();
		assertThat(stock.held).hasSize(1);
		this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).build());
		assertThat(orders.held).hasSize(1);
		assertThat(stock.held).hasSize(2);
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(
					() -> this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).dataSource("nowhere").build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("dataSource"));
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry.add(FaultSpec.builder(FaultType.LOCK).table("stock").build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("type"));
	}

	@Test
	void lockIsTakenOnceThroughTheFirstHolderOfItsDataSourceAndNeedsOneNamedWhenThereAreSeveral() {
		RecordingHolder first = new RecordingHolder();
		RecordingHolder again = new RecordingHolder();
		this.registry.addHolder(FaultType.LOCK, "orders", first);
		this.registry.addHolder(FaultType.LOCK, "orders", again);
		this.registry.add(FaultSpec.builder(FaultType.LOCK).table("stock").build());
		assertThat(first.held).hasSize(1);
		assertThat(again.held).isEmpty();
		RecordingHolder reports = new RecordingHolder();
		this.registry.addHolder(FaultType.LOCK, "reports", reports);
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry.add(FaultSpec.builder(FaultType.LOCK).table("stock").build()))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(
					"a lock is taken on one database: name the data source to take it through, one of orders, reports"));
		this.registry.add(FaultSpec.builder(FaultType.LOCK).table("stock").dataSource("reports").build());
		assertThat(reports.held).hasSize(1);
	}

	@Test
	void removingAHolderReleasesWhatItHoldsOnce() {
		RecordingHolder holder = new RecordingHolder();
		Registration registration = this.registry.addHolder(FaultType.POOL_EXHAUSTION, "dataSource", holder);
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).build());
		registration.close();
		assertThat(holder.released).containsExactly(rule.getId());
		this.registry.remove(rule.getId());
		assertThat(holder.released).containsExactly(rule.getId());
	}

	@Test
	void heldFaultOfATakenIdIsRefusedBeforeAnythingIsHeld() {
		RecordingHolder holder = new RecordingHolder();
		this.registry.addHolder(FaultType.POOL_EXHAUSTION, "dataSource", holder);
		this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).id("drain").build());
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).id("drain").build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("id"));
		assertThat(holder.held).containsExactly("drain");
	}

	@Test
	void onlyHeldTypesHaveHolders() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.registry.addHolder(FaultType.OUTAGE, "dataSource", new RecordingHolder()));
	}

	@Test
	void ambiguousCommitFiresForCommitsAndWritesInAutoCommitModeOnly() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).build());
		JdbcCall commit = new JdbcCall(Operation.COMMIT, null, false, "dataSource");
		assertThat(this.registry.fire(commit)).containsExactly(rule);
		assertThat(this.registry.fire(INSERT.inAutoCommit())).containsExactly(rule);
		assertThat(this.registry.fire(INSERT)).as("a write in a transaction").isEmpty();
		assertThat(this.registry.fire(SELECT.inAutoCommit())).as("a read").isEmpty();
		assertThat(this.registry.fire(new JdbcCall(Operation.ANY, null, false, "dataSource", CallKind.ROLLBACK)))
			.as("a rollback")
			.isEmpty();
		assertThat(this.registry.fire(CONNECT)).isEmpty();
	}

	@Test
	void ambiguousCommitOfCommitsLeavesWritesInAutoCommitModeAlone() {
		FaultRule rule = this.registry
			.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).operation(Operation.COMMIT).build());
		assertThat(this.registry.fire(new JdbcCall(Operation.COMMIT, null, false, "dataSource"))).containsExactly(rule);
		assertThat(this.registry.fire(INSERT.inAutoCommit())).isEmpty();
	}

	@Test
	void resultResetFiresForReadsOnly() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.RESULT_RESET).afterRows(10).build());
		assertThat(this.registry.fire(SELECT)).containsExactly(rule);
		assertThat(this.registry.fire(INSERT)).isEmpty();
		assertThat(this.registry.fire(new JdbcCall(Operation.COMMIT, null, false, "dataSource"))).isEmpty();
		assertThat(this.registry.fire(new JdbcCall(Operation.ANY, null, false, "dataSource"))).as("a validation")
			.isEmpty();
	}

	@Test
	void registryWithoutRulesIsIdleAndFiresNothing() {
		assertThat(this.registry.isIdle()).isTrue();
		assertThat(this.registry.fire(SELECT)).isEmpty();
	}

	@Test
	void addedRuleFiresOnTheNextCall() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		assertThat(this.registry.isIdle()).isFalse();
		assertThat(this.registry.fire(SELECT)).containsExactly(rule);
		assertThat(rule.getInjections()).isEqualTo(1);
	}

	@Test
	void removedRuleNoLongerFiresAndIsEnded() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		assertThat(this.registry.remove(rule.getId())).contains(rule);
		assertThat(this.registry.fire(SELECT)).isEmpty();
		assertThat(rule.hasEnded()).isTrue();
		assertThat(this.registry.remove(rule.getId())).isEmpty();
	}

	@Test
	void operationFilterLimitsTheRuleToThatKindOfCall() {
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.UPDATE).build());
		assertThat(this.registry.fire(SELECT)).isEmpty();
		assertThat(this.registry.fire(CONNECT)).isEmpty();
		assertThat(this.registry.fire(INSERT)).hasSize(1);
	}

	@Test
	void sqlFilterMatchesAPartOfTheStatement() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).sql("(?i)FROM SNEAKERS").build());
		assertThat(this.registry.fire(SELECT)).hasSize(1);
		assertThat(this.registry.fire(INSERT)).isEmpty();
		assertThat(this.registry.fire(CONNECT)).as("calls without SQL never match an sql filter").isEmpty();
	}

	@Test
	void dataSourceFilterLimitsTheRuleToThatDataSource() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).dataSource("reporting").build());
		assertThat(this.registry.fire(SELECT)).isEmpty();
		assertThat(this.registry.fire(new JdbcCall(Operation.QUERY, "select 1", false, "reporting"))).hasSize(1);
	}

	@Test
	void readOnlyRuleFiresOnlyForWrites() {
		this.registry.add(FaultSpec.builder(FaultType.READ_ONLY).build());
		assertThat(this.registry.fire(SELECT)).isEmpty();
		assertThat(this.registry.fire(INSERT)).hasSize(1);
	}

	@Test
	void scopedRuleFiresOnlyForCallsBoundToItsScope() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).scope("t-42").build());
		assertThat(this.registry.fire(SELECT)).isEmpty();
		try (DbChaosScope.Binding binding = DbChaosScope.bind("t-7")) {
			assertThat(this.registry.fire(SELECT)).isEmpty();
		}
		try (DbChaosScope.Binding binding = DbChaosScope.bind("t-42")) {
			assertThat(this.registry.fire(SELECT)).hasSize(1);
		}
	}

	@Test
	void poolCallsSeeOnlyUnscopedRules() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).scope("t-42").build());
		try (DbChaosScope.Binding binding = DbChaosScope.bind("t-42")) {
			assertThat(this.registry.fire(SELECT.as(CallKind.POOL_VALIDATION))).isEmpty();
		}
		FaultRule unscoped = this.registry.add(FaultSpec.builder(FaultType.HANG).build());
		assertThat(this.registry.fire(SELECT.as(CallKind.POOL_VALIDATION))).containsExactly(unscoped);
	}

	@Test
	void rollbacksSeeConnectionFaultsButNoErrors() {
		JdbcCall rollback = new JdbcCall(Operation.ANY, null, false, "dataSource", CallKind.ROLLBACK);
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").build());
		assertThat(this.registry.fire(rollback)).isEmpty();
		FaultRule outage = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		assertThat(this.registry.fire(rollback)).containsExactly(outage);
	}

	@Test
	void unscopedRuleFiresForScopedCallsToo() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		try (DbChaosScope.Binding binding = DbChaosScope.bind("t-42")) {
			assertThat(this.registry.fire(SELECT)).hasSize(1);
		}
	}

	@Test
	void probabilityAffectsThatShareOfCalls() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).probability(0.3).build());
		int calls = 10_000;
		long fired = IntStream.range(0, calls).filter((i) -> !this.registry.fire(SELECT).isEmpty()).count();
		assertThat(fired / (double) calls).isCloseTo(0.3, within(0.03));
		assertThat(rule.getInjections()).isEqualTo(fired);
	}

	@Test
	void probabilityZeroNeverFires() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).probability(0.0).build());
		assertThat(IntStream.range(0, 1000).filter((i) -> !this.registry.fire(SELECT).isEmpty()).count()).isZero();
	}

	@Test
	void countLimitsInjectionsAndThenRemovesTheRule() {
		List<RemovalReason> reasons = new ArrayList<>();
		this.registry.addListener(new FaultListener() {
			@Override
			public void removed(FaultRule rule, RemovalReason reason) {
				reasons.add(reason);
			}
		});
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).count(3).build());
		long fired = IntStream.range(0, 10).filter((i) -> !this.registry.fire(SELECT).isEmpty()).count();
		assertThat(fired).isEqualTo(3);
		assertThat(rule.hasEnded()).isTrue();
		assertThat(this.registry.isIdle()).isTrue();
		assertThat(reasons).containsExactly(RemovalReason.USED_UP);
	}

	@Test
	void countIsNeverExceededUnderConcurrentCalls() throws Exception {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).count(100).build());
		long fired = IntStream.range(0, 8)
			.parallel()
			.mapToLong(
					(thread) -> IntStream.range(0, 1000).filter((i) -> !this.registry.fire(SELECT).isEmpty()).count())
			.sum();
		assertThat(fired).isEqualTo(100);
		assertThat(rule.getInjections()).isEqualTo(100);
	}

	@Test
	void ruleExpiresWhenItsDurationElapses() {
		FaultRule rule = this.registry
			.add(FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofSeconds(30)).build());
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(this.registry.expireDue()).isEmpty();
		assertThat(this.registry.fire(SELECT)).hasSize(1);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.registry.fire(SELECT)).as("expired rules never fire, even before the sweep").isEmpty();
		assertThat(rule.hasEnded()).isTrue();
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void ruleNeverExpiresBeforeItsTimeEvenByLessThanAMillisecond() {
		this.clock.advance(Duration.ofNanos(400_000));
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofSeconds(1)).build());
		this.clock.advance(Duration.ofSeconds(1).minusNanos(400_000));
		assertThat(this.registry.expireDue()).isEmpty();
		this.clock.advance(Duration.ofNanos(400_000));
		assertThat(this.registry.expireDue()).containsExactly(rule);
	}

	@Test
	void ruleAddedUntilAnInstantKeepsItsIdAndEndsThen() {
		Instant end = this.clock.instant().plus(Duration.ofMinutes(2));
		FaultRule rule = this.registry.addUntil(FaultSpec.builder(FaultType.OUTAGE).id("fleet-1").build(), end);
		assertThat(rule.getId()).isEqualTo("fleet-1");
		assertThat(rule.getExpiresAt()).isEqualTo(end);
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.registry.expireDue()).containsExactly(rule);
	}

	@Test
	void ruleAddedUntilAPassedOrTooDistantInstantIsRefused() {
		FaultSpec spec = FaultSpec.builder(FaultType.OUTAGE).id("late").build();
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry.addUntil(spec, this.clock.instant()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("duration"));
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry.addUntil(spec, this.clock.instant().plus(Duration.ofHours(2))))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("duration"));
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void expireDueRemovesOnlyRulesWhoseTimeIsUp() {
		FaultRule shortRule = this.registry
			.add(FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofSeconds(10)).build());
		FaultRule longRule = this.registry
			.add(FaultSpec.builder(FaultType.HANG).duration(Duration.ofMinutes(10)).build());
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.registry.expireDue()).containsExactly(shortRule);
		assertThat(this.registry.getRules()).containsExactly(longRule);
	}

	@Test
	void ruleWithoutDurationGetsTheDefault() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		assertThat(Duration.between(rule.getCreatedAt(), rule.getExpiresAt())).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void durationOverTheMaximumIsRejectedAndNothingChanges() {
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(
					() -> this.registry.add(FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofHours(2)).build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("duration"));
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void delayOrJitterOverTheMaximumIsRejectedAndNothingChanges() {
		// 106752 days is past what a long holds in nanoseconds: it used to be added, then
		// fail with a 500.
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(
				() -> this.registry.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofDays(106752)).build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("delay"));
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> this.registry
			.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(1)).jitter(Duration.ofHours(2)).build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("jitter"));
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void checkingTheLimitsRefusesWhatAddingWouldAndAddsNothing() {
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry
				.checkLimits(FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofHours(2)).build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("duration"));
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry
				.checkLimits(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofHours(2)).build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("delay"));
		this.registry.checkLimits(FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofMinutes(1)).build());
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void idOfAnActiveRuleCannotBeReused() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).id("drill").build());
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry.add(FaultSpec.builder(FaultType.HANG).id("drill").build()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("id"));
		assertThat(this.registry.getRules()).hasSize(1);
	}

	@Test
	void rulesFireInTheOrderTheyWereAdded() {
		FaultRule latency = this.registry.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(5)).build());
		FaultRule error = this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").build());
		assertThat(this.registry.fire(SELECT)).containsExactly(latency, error);
	}

	@Test
	void sameSeedReplaysTheSameInjections() {
		assertThat(injectionPattern(7)).isEqualTo(injectionPattern(7)).isNotEqualTo(injectionPattern(8));
	}

	private List<Boolean> injectionPattern(long seed) {
		try (FaultRegistry seeded = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1), this.clock,
				new Random(seed))) {
			seeded.add(FaultSpec.builder(FaultType.OUTAGE).probability(0.5).build());
			return IntStream.range(0, 200).mapToObj((i) -> !seeded.fire(SELECT).isEmpty()).toList();
		}
	}

	@Test
	void jitterAddsAtMostItsBoundToTheDelay() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.LATENCY)
			.delay(Duration.ofMillis(100))
			.jitter(Duration.ofMillis(50))
			.build());
		List<Duration> delays = IntStream.range(0, 1000).mapToObj((i) -> this.registry.delayOf(rule)).toList();
		assertThat(delays)
			.allSatisfy((delay) -> assertThat(delay).isBetween(Duration.ofMillis(100), Duration.ofMillis(150)));
		assertThat(delays.stream().distinct().count()).isGreaterThan(1);
	}

	@Test
	void closeEndsEveryRuleAndRejectsNewOnes() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.HANG).build());
		this.registry.close();
		assertThat(rule.hasEnded()).isTrue();
		assertThat(this.registry.isIdle()).isTrue();
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.registry.add(FaultSpec.builder(FaultType.HANG).build()));
	}

	@Test
	void listenersHearOfAdditionsInjectionsAndRemovals() {
		List<String> events = new ArrayList<>();
		this.registry.addListener(new FaultListener() {
			@Override
			public void added(FaultRule rule) {
				events.add("added " + rule.getType());
			}

			@Override
			public void injected(FaultRule rule, JdbcCall call) {
				events.add("injected " + call.operation());
			}

			@Override
			public void removed(FaultRule rule, RemovalReason reason) {
				events.add("removed " + reason);
			}
		});
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).count(1).build());
		this.registry.fire(CONNECT);
		assertThat(events).containsExactly("added outage", "injected connect", "removed USED_UP");
	}

	@Test
	void aListenerIsNoLongerToldOnceItsRegistrationIsClosed() {
		List<String> events = new ArrayList<>();
		Registration registration = this.registry.addListener(new FaultListener() {
			@Override
			public void added(FaultRule rule) {
				events.add("added " + rule.getId());
			}
		});
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).id("before").build());
		registration.close();
		registration.close();
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).id("after").build());
		assertThat(events).containsExactly("added before");
	}

	@Test
	void aDataSourceNameIsListedUntilItsLastRegistrationIsClosed() {
		Registration first = this.registry.registerDataSource("orders");
		Registration second = this.registry.registerDataSource("orders");
		Registration other = this.registry.registerDataSource("payments");
		assertThat(this.registry.getDataSources()).containsExactly("orders", "payments");
		first.close();
		first.close();
		assertThat(this.registry.getDataSources()).containsExactly("orders", "payments");
		second.close();
		other.close();
		assertThat(this.registry.getDataSources()).isEmpty();
	}

	@Test
	void aListenerThatThrowsFromEveryCallbackChangesNothingForTheCallerOrTheOtherListeners() {
		List<String> events = new ArrayList<>();
		this.registry.addListener(new FaultListener() {
			@Override
			public void added(FaultRule rule) {
				throw new IllegalStateException("added");
			}

			@Override
			public void removed(FaultRule rule, RemovalReason reason) {
				throw new IllegalStateException("removed");
			}

			@Override
			public void injected(FaultRule rule, JdbcCall call) {
				throw new IllegalStateException("injected");
			}

			@Override
			public void delayed(FaultRule rule, JdbcCall call, Duration delay) {
				throw new AssertionError("delayed");
			}
		});
		this.registry.addListener(new FaultListener() {
			@Override
			public void added(FaultRule rule) {
				events.add("added");
			}

			@Override
			public void removed(FaultRule rule, RemovalReason reason) {
				events.add("removed " + reason);
			}

			@Override
			public void injected(FaultRule rule, JdbcCall call) {
				events.add("injected");
			}

			@Override
			public void delayed(FaultRule rule, JdbcCall call, Duration delay) {
				events.add("delayed");
			}
		});
		FaultRule counted = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).count(1).build());
		assertThat(this.registry.fire(SELECT)).containsExactly(counted);
		FaultRule latency = this.registry.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(1)).build());
		this.registry.recordDelay(latency, SELECT, Duration.ofMillis(1));
		assertThat(this.registry.remove(latency.getId())).contains(latency);
		assertThat(this.registry.isIdle()).isTrue();
		assertThat(events).containsExactly("added", "injected", "removed USED_UP", "added", "delayed",
				"removed REMOVED");
	}

	@Test
	void catastrophicPatternGivesUpInsteadOfFreezingTheCaller() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).sql("(a+)+$").build());
		String evil = "a".repeat(5000) + "!";
		JdbcCall call = new JdbcCall(Operation.QUERY, evil, false, "dataSource");
		assertThat(this.registry.fire(call)).isEmpty();
	}

	/**
	 * Records the ids of the rules it held and released, in order.
	 */
	private static final class RecordingHolder implements FaultHolder {

		private final List<String> held = new ArrayList<>();

		private final List<String> released = new ArrayList<>();

		@Override
		public Registration hold(FaultRule rule) {
			this.held.add(rule.getId());
			return Registration.of(() -> this.released.add(rule.getId()));
		}

	}

}
