package dev.dbchaos;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DbChaosScope} and the activity it counts.
 */
class DbChaosScopeTests {

	@Test
	void bindingsNestAndRestoreThePreviousScope() {
		assertThat(DbChaosScope.current()).isNull();
		try (DbChaosScope.Binding outer = DbChaosScope.bind("outer")) {
			try (DbChaosScope.Binding inner = DbChaosScope.bind("inner")) {
				assertThat(DbChaosScope.current()).isEqualTo("inner");
			}
			assertThat(DbChaosScope.current()).isEqualTo("outer");
		}
		assertThat(DbChaosScope.current()).isNull();
	}

	@Test
	void openBindingCountsAsWorkInFlight() {
		try (DbChaosScope.Binding binding = DbChaosScope.bind("busy-1")) {
			assertThat(DbChaos.inFlight("busy-1")).isOne();
		}
		assertThat(DbChaos.inFlight("busy-1")).isZero();
	}

	@Test
	void propagatingAScopeDoesNotCountAsWork() {
		try (DbChaosScope.Binding binding = DbChaosScope.propagate("client-1")) {
			assertThat(DbChaosScope.current()).isEqualTo("client-1");
			assertThat(DbChaos.inFlight("client-1")).isZero();
		}
	}

	@Test
	void awaitQuiescenceReturnsOnceTheLastBindingCloses() throws Exception {
		CountDownLatch bound = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread worker = new Thread(() -> {
			try (DbChaosScope.Binding binding = DbChaosScope.bind("quiet-1")) {
				bound.countDown();
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		worker.start();
		assertThat(bound.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(DbChaos.awaitQuiescence("quiet-1", Duration.ofMillis(50))).isFalse();
		release.countDown();
		assertThat(DbChaos.awaitQuiescence("quiet-1", Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void quietScopeNeedsNoWaiting() throws InterruptedException {
		assertThat(DbChaos.awaitQuiescence("never-used", Duration.ZERO)).isTrue();
	}

	@Test
	void aQuietListenerIsToldEachTimeTheLastWorkOfAScopeEndsUntilItsRegistrationIsClosed() {
		List<String> quiet = new CopyOnWriteArrayList<>();
		Registration registration = ScopeActivity.onQuiet((scope) -> {
			if (scope.startsWith("told-")) {
				quiet.add(scope);
			}
		});
		try (DbChaosScope.Binding outer = DbChaosScope.bind("told-1")) {
			ScopeActivity.Work task = ScopeActivity.begin("told-1");
			try (DbChaosScope.Binding inner = DbChaosScope.bind("told-1")) {
				assertThat(DbChaos.inFlight("told-1")).isEqualTo(3);
			}
			task.end();
			task.end();
			assertThat(quiet).isEmpty();
		}
		assertThat(quiet).containsExactly("told-1");
		try (DbChaosScope.Binding client = DbChaosScope.propagate("told-2")) {
			// A client of the scope is no work of it: nothing falls quiet.
		}
		try (DbChaosScope.Binding again = DbChaosScope.bind("told-1")) {
			assertThat(quiet).containsExactly("told-1");
		}
		assertThat(quiet).containsExactly("told-1", "told-1");
		registration.close();
		try (DbChaosScope.Binding after = DbChaosScope.bind("told-3")) {
			assertThat(DbChaos.inFlight("told-3")).isOne();
		}
		assertThat(quiet).containsExactly("told-1", "told-1");
	}

	@Test
	void aQuietListenerThatThrowsDoesNotBreakTheWorkThatEndsNorTheOtherListeners() throws InterruptedException {
		List<String> quiet = new CopyOnWriteArrayList<>();
		try (Registration throwing = ScopeActivity.onQuiet((scope) -> {
			throw new IllegalStateException("broken listener");
		}); Registration counting = ScopeActivity.onQuiet(quiet::add)) {
			try (DbChaosScope.Binding binding = DbChaosScope.bind("throwing-1")) {
				assertThat(DbChaos.inFlight("throwing-1")).isOne();
			}
			assertThat(DbChaosScope.current()).isNull();
			assertThat(DbChaos.inFlight("throwing-1")).isZero();
			assertThat(DbChaos.awaitQuiescence("throwing-1", Duration.ZERO)).isTrue();
			assertThat(quiet).contains("throwing-1");
		}
	}

}
