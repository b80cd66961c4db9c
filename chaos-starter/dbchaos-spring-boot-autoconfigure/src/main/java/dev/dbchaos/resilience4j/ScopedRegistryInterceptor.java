package dev.dbchaos.resilience4j;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.resilience4j.core.Registry;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import dev.dbchaos.DbChaosScope;

/**
 * Gives each scope its own instances of a Resilience4j registry. While a scope is bound,
 * asking for instance {@code db} returns instance {@code db@<scope>}, created with the
 * configuration the shared {@code db} has, so a scoped fault trips only its scope's
 * circuit breaker and the calls of other scopes, and unscoped calls, keep the shared one.
 * <p>
 * A scope's instances are removed from the registry once the scope has ended (see
 * {@link ScopeEndWatcher}): when its last work in flight ends and no fault is limited to
 * it any more. So the registry does not grow with every scope a test run uses, and a
 * scope that is used again later starts afresh.
 *
 * @param <R> the registry type
 * @param <I> the instance type
 * @param <C> the configuration type
 */
final class ScopedRegistryInterceptor<R extends Registry<I, C>, I, C> implements MethodInterceptor {

	private final R registry;

	private final Set<String> instanceMethods;

	private final Function<I, C> configOf;

	private final InstanceFactory<R, I, C> createWithConfig;

	private final ScopeEndWatcher watcher;

	// The names of the instances created for each scope, until the scope ends.
	private final Map<String, ScopeInstances> scopes = new ConcurrentHashMap<>();

	/**
	 * Create an interceptor.
	 * @param registry the registry whose instances to partition
	 * @param instanceMethod the name of the registry's instance factory methods, such as
	 * {@code circuitBreaker}
	 * @param configOf reads an instance's configuration
	 * @param createWithConfig creates (or finds) an instance from (registry, scoped name,
	 * configuration)
	 * @param watcher tells when a scope has ended
	 */
	ScopedRegistryInterceptor(R registry, String instanceMethod, Function<I, C> configOf,
			InstanceFactory<R, I, C> createWithConfig, ScopeEndWatcher watcher) {
		this.registry = registry;
		this.instanceMethods = Set.of(instanceMethod);
		this.configOf = configOf;
		this.createWithConfig = createWithConfig;
		this.watcher = watcher;
		watcher.add(this);
	}

	@Override
	@SuppressWarnings("unchecked")
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		String scope = DbChaosScope.current();
		Object[] arguments = invocation.getArguments();
		if (scope == null || !this.instanceMethods.contains(method.getName()) || arguments.length == 0
				|| !(arguments[0] instanceof String name)) {
			return invocation.proceed();
		}
		// The shared instance is resolved exactly as the caller asked (by name,
		// configuration,
		// configuration name or tags), and the scope's own is created with its
		// configuration:
		// a configuration name need not exist for a new instance (Spring Boot's instance
		// settings are not registered as named configurations).
		I shared = (I) invocation.proceed();
		C config = this.configOf.apply(shared);
		String scopedName = name + "@" + scope;
		this.watcher.watch();
		while (true) {
			ScopeInstances instances = this.scopes.computeIfAbsent(scope, (key) -> new ScopeInstances());
			synchronized (instances) {
				// Ended (and removed from the map) while this thread looked it up: take a
				// new one.
				if (!instances.ended) {
					I instance = this.createWithConfig.create(this.registry, scopedName, config);
					instances.names.add(scopedName);
					return instance;
				}
			}
		}
	}

	/**
	 * Remove the instances of a scope from the registry if the scope has ended.
	 * @param scope the scope
	 */
	void removeIfEnded(String scope) {
		ScopeInstances instances = this.scopes.get(scope);
		if (instances == null) {
			return;
		}
		synchronized (instances) {
			// Checked under the lock that creating an instance takes: work that begins
			// now
			// either is seen here or creates its instance after these are gone.
			if (instances.ended || !this.watcher.hasEnded(scope)) {
				return;
			}
			instances.ended = true;
			this.scopes.remove(scope, instances);
			instances.names.forEach(this.registry::remove);
		}
	}

	/**
	 * Creates an instance with a given name and configuration, or returns the one of that
	 * name.
	 *
	 * @param <R> the registry type
	 * @param <I> the instance type
	 * @param <C> the configuration type
	 */
	@FunctionalInterface
	interface InstanceFactory<R, I, C> {

		I create(R registry, String name, C config);

	}

	private static final class ScopeInstances {

		private final Set<String> names = new LinkedHashSet<>();

		private boolean ended;

	}

}
