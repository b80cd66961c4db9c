package dev.dbchaos.resilience4j;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.Registration;
import dev.dbchaos.ScopeActivity;
import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.RemovalReason;

/**
 * Tells the {@link ScopedRegistryInterceptor interceptors} when a scope may have ended,
 * so that they remove the instances they created for it. A scope has ended when it has no
 * work in flight ({@link ScopeActivity}) and no fault rule is limited to it: between two
 * requests of a chaos test the scope is quiet, but its fault is still in force and its
 * circuit breaker must remember the failures so far. So the question is asked each time
 * the scope falls quiet and each time a rule limited to it ends.
 */
final class ScopeEndWatcher implements AutoCloseable {

	private final Supplier<@Nullable FaultRegistry> faultRegistry;

	private final List<ScopedRegistryInterceptor<?, ?, ?>> interceptors = new CopyOnWriteArrayList<>();

	private final Object lifecycle = new Object();

	// Written under lifecycle.
	private volatile boolean watching;

	// Guarded by lifecycle.
	private boolean closed;

	// Guarded by lifecycle.
	private @Nullable Registration quiet;

	// Guarded by lifecycle.
	private @Nullable Registration faults;

	private volatile @Nullable FaultRegistry rules;

	/**
	 * Create a watcher.
	 * @param faultRegistry supplies the rules in force, or {@code null} when there are
	 * none
	 */
	ScopeEndWatcher(Supplier<@Nullable FaultRegistry> faultRegistry) {
		this.faultRegistry = faultRegistry;
	}

	void add(ScopedRegistryInterceptor<?, ?, ?> interceptor) {
		this.interceptors.add(interceptor);
	}

	/**
	 * Start listening, once: called before the first instance of a scope is created, not
	 * before, so that the fault registry is looked up only once the application runs.
	 */
	void watch() {
		if (this.watching) {
			return;
		}
		synchronized (this.lifecycle) {
			if (this.watching || this.closed) {
				return;
			}
			this.quiet = ScopeActivity.onQuiet(this::mayHaveEnded);
			FaultRegistry registry = this.faultRegistry.get();
			if (registry != null) {
				this.rules = registry;
				this.faults = registry.addListener(new FaultListener() {
					@Override
					public void removed(FaultRule rule, RemovalReason reason) {
						String scope = rule.getSpec().getScope();
						if (scope != null) {
							mayHaveEnded(scope);
						}
					}

					@Override
					public String toString() {
						return "ScopeEndWatcher";
					}
				});
			}
			this.watching = true;
		}
	}

	/**
	 * Return whether a scope has ended: no work in flight under it, no rule limited to
	 * it.
	 * @param scope the scope
	 * @return whether its instances can go
	 */
	boolean hasEnded(String scope) {
		if (ScopeActivity.inFlight(scope) > 0) {
			return false;
		}
		FaultRegistry registry = this.rules;
		return registry == null
				|| registry.getRules().stream().noneMatch((rule) -> scope.equals(rule.getSpec().getScope()));
	}

	private void mayHaveEnded(String scope) {
		for (ScopedRegistryInterceptor<?, ?, ?> interceptor : this.interceptors) {
			interceptor.removeIfEnded(scope);
		}
	}

	@Override
	public void close() {
		synchronized (this.lifecycle) {
			this.closed = true;
			if (this.quiet != null) {
				this.quiet.close();
			}
			if (this.faults != null) {
				this.faults.close();
			}
		}
	}

}
