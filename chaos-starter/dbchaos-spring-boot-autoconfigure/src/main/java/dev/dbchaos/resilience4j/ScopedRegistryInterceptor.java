package dev.dbchaos.resilience4j;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import dev.dbchaos.DbChaosScope;

/**
 * Gives each scope its own instances of a Resilience4j registry. While a scope is bound, asking
 * for instance {@code db} returns instance {@code db@<scope>}, created with the configuration
 * the shared {@code db} has, so a scoped fault trips only its scope's circuit breaker and the
 * calls of other scopes, and unscoped calls, keep the shared one.
 *
 * @param <R> the registry type
 * @param <I> the instance type
 * @param <C> the configuration type
 * @author dbchaos
 */
final class ScopedRegistryInterceptor<R, I, C> implements MethodInterceptor {

	private final Set<String> instanceMethods;

	private final Function<I, C> configOf;

	private final BiFunction<R, Object[], I> createWithConfig;

	/**
	 * Create an interceptor.
	 * @param instanceMethod the name of the registry's instance factory methods, such as
	 * {@code circuitBreaker}
	 * @param configOf reads an instance's configuration
	 * @param createWithConfig creates an instance from (scoped name, configuration)
	 */
	ScopedRegistryInterceptor(String instanceMethod, Function<I, C> configOf,
			BiFunction<R, Object[], I> createWithConfig) {
		this.instanceMethods = Set.of(instanceMethod);
		this.configOf = configOf;
		this.createWithConfig = createWithConfig;
	}

	@Override
	@SuppressWarnings("unchecked")
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		String scope = DbChaosScope.current();
		Object[] arguments = invocation.getArguments();
		if (scope == null || !this.instanceMethods.contains(method.getName()) || arguments.length == 0
				|| !(arguments[0] instanceof String name)) {
			return invocation.proceed();
		}
		// The shared instance is resolved exactly as the caller asked (by name, configuration,
		// configuration name or tags), and the scope's own is created with its configuration:
		// a configuration name need not exist for a new instance (Spring Boot's instance
		// settings are not registered as named configurations).
		I shared = (I) invocation.proceed();
		return this.createWithConfig.apply((R) invocation.getThis(),
				new Object[] { name + "@" + scope, this.configOf.apply(shared) });
	}

}
