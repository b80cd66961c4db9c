package dev.dbchaos.task;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.dbchaos.DbChaos;
import dev.dbchaos.DbChaosScope;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DbChaosTaskDecorator}.
 */
class DbChaosTaskDecoratorTests {

	private final DbChaosTaskDecorator decorator = new DbChaosTaskDecorator();

	@Test
	void taskRunsInTheScopeItWasSubmittedIn() {
		AtomicReference<String> seen = new AtomicReference<>();
		Runnable task;
		try (DbChaosScope.Binding binding = DbChaosScope.propagate("t-9")) {
			task = this.decorator.decorate(() -> seen.set(DbChaosScope.current()));
		}
		task.run();
		assertThat(seen).hasValue("t-9");
		assertThat(DbChaosScope.current()).isNull();
	}

	@Test
	void queuedTaskCountsAsWorkUntilItHasRun() {
		Runnable task;
		try (DbChaosScope.Binding binding = DbChaosScope.propagate("t-10")) {
			task = this.decorator.decorate(() -> {
			});
		}
		assertThat(DbChaos.inFlight("t-10")).isOne();
		task.run();
		assertThat(DbChaos.inFlight("t-10")).isZero();
	}

	@Test
	void unscopedTaskIsLeftAsItIs() {
		Runnable task = () -> {
		};
		assertThat(this.decorator.decorate(task)).isSameAs(task);
	}

}
