package dev.dbchaos.jdbc;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.fault.Operation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the verdicts of a call are waited out and which one ends it.
 */
class VerdictTests {

	private static final JdbcCall SELECT = new JdbcCall(Operation.QUERY, "select 1", false, "dataSource");

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(5));

	private final List<Duration> delays = new CopyOnWriteArrayList<>();

	VerdictTests() {
		this.registry.addListener(new FaultListener() {
			@Override
			public void delayed(FaultRule rule, JdbcCall call, Duration delay) {
				VerdictTests.this.delays.add(delay);
			}
		});
	}

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void noVerdictLetsTheCallGoOn() {
		assertThat(Verdict.firstFailure(List.of())).isNull();
	}

	@Test
	void aLostReplyAndABrokenResultFailTheCallOnlyAfterItRan() {
		Verdict lostReply = Verdict.failAfterCall(new SQLException("lost", "08006"));
		Verdict brokenResult = Verdict.breakResult(100);
		assertThat(lostReply.failsLater()).isTrue();
		assertThat(brokenResult.failsLater()).isTrue();
		assertThat(brokenResult.rows()).isEqualTo(100);
		assertThat(Verdict.fail(new SQLException("now", "40001")).failsLater()).isFalse();
		assertThat(Verdict.firstFailure(List.of(lostReply, brokenResult))).as("the first that fails, later")
			.isSameAs(lostReply);
	}

	@Test
	void aDelayLetsTheCallGoOnOnceItsTimeHasPassedAndIsRecorded() {
		FaultRule rule = latency();
		Verdict delay = Verdict.delay(hold(rule, Duration.ofMillis(20)));
		assertThat(delay.action()).isEqualTo(Verdict.Action.DELAY);
		assertThat(Verdict.firstFailure(List.of(delay))).isNull();
		assertThat(this.delays).singleElement()
			.satisfies((held) -> assertThat(held).isGreaterThanOrEqualTo(Duration.ofMillis(20)));
	}

	@Test
	void aHangThatTimesOutEndsTheCallWithItsTimeoutVerdict() {
		Verdict onTimeout = Verdict.failAndTerminate(new SQLException("timed out", "08006"));
		Verdict hang = Verdict.hang(hold(hang(), Duration.ofMillis(10)), onTimeout);
		assertThat(hang.action()).isEqualTo(Verdict.Action.HANG);
		assertThat(Verdict.firstFailure(List.of(hang))).isSameAs(onTimeout);
		assertThat(this.delays).hasSize(1);
	}

	@Test
	void aHangWithoutTimeoutLetsTheCallGoOnWhenItsRuleIsRemoved() throws Exception {
		FaultRule rule = hang();
		Verdict hang = Verdict.hang(hold(rule, null), Verdict.fail(new SQLException("never")));
		CompletableFuture<Verdict> call = CompletableFuture.supplyAsync(() -> Verdict.firstFailure(List.of(hang)));
		this.registry.remove(rule.getId());
		assertThat(call.get(1, TimeUnit.MINUTES)).isNull();
	}

	@Test
	void anInterruptedWaitFailsTheCallLosesTheConnectionAndKeepsTheInterruption() {
		SQLException interruption = new SQLTransientConnectionException("interrupted", "08006");
		Verdict delay = Verdict
			.delay(Verdict.Hold.of(this.registry, latency(), SELECT, Duration.ofMinutes(1), () -> interruption));
		Thread.currentThread().interrupt();
		try {
			Verdict failing = Verdict.firstFailure(List.of(delay));
			assertThat(failing.action()).isEqualTo(Verdict.Action.FAIL_AND_TERMINATE);
			assertThat((Throwable) failing.failure()).isSameAs(interruption);
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void theFirstFailureEndsTheCallAndLaterVerdictsAreNotApplied() {
		Verdict first = Verdict.failAndAbortTransaction(new SQLException("first", "40001"));
		Verdict second = Verdict.fail(new SQLException("second", "57014"));
		Verdict laterDelay = Verdict.delay(hold(latency(), Duration.ofMinutes(1)));
		assertThat(Verdict.firstFailure(List.of(first, second, laterDelay))).isSameAs(first);
		assertThat(this.delays).isEmpty();
	}

	private FaultRule latency() {
		return this.registry.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(20)).build());
	}

	private FaultRule hang() {
		return this.registry.add(FaultSpec.builder(FaultType.HANG).build());
	}

	private Verdict.Hold hold(FaultRule rule, Duration timeout) {
		return Verdict.Hold.of(this.registry, rule, SELECT, timeout, () -> new SQLException("interrupted"));
	}

}
