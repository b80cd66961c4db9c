package dev.dbchaos.task;

import org.springframework.core.task.TaskDecorator;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.ScopeActivity;

/**
 * Runs each task in the scope that was bound when it was submitted, and counts it as work
 * in flight under that scope from submission to completion, so that waiting for a scope
 * to fall quiet also waits for the tasks it queued.
 * <p>
 * Executors that apply task decorators ({@code ThreadPoolTaskExecutor},
 * {@code SimpleAsyncTaskExecutor}, {@code ThreadPoolTaskScheduler}) carry the scope into
 * {@code @Async} methods and {@code CompletableFuture}s run on them. A raw
 * {@code new Thread()} carries nothing.
 *
 * @since 0.1.0
 */
public class DbChaosTaskDecorator implements TaskDecorator {

	@Override
	public Runnable decorate(Runnable task) {
		String scope = DbChaosScope.current();
		if (scope == null) {
			return task;
		}
		ScopeActivity.Work queued = ScopeActivity.begin(scope);
		return () -> {
			try (DbChaosScope.Binding binding = DbChaosScope.bind(scope)) {
				task.run();
			}
			finally {
				queued.end();
			}
		};
	}

}
