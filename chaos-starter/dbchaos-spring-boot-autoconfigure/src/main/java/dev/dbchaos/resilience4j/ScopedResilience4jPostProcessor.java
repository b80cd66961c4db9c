package dev.dbchaos.resilience4j;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

import dev.dbchaos.fault.FaultRegistry;

/**
 * Wraps the application's Resilience4j registries so that each scope gets its own circuit
 * breakers, retries and bulkheads (see {@link ScopedRegistryInterceptor}). Each registry
 * type is handled only when its module is on the class path.
 * <p>
 * The instances of a scope are removed from their registry once the scope has ended: no
 * work in flight under it and no fault limited to it (see {@link ScopeEndWatcher}).
 *
 * @since 0.1.0
 */
public class ScopedResilience4jPostProcessor implements BeanPostProcessor, BeanFactoryAware, DisposableBean {

	private static final ClassLoader classLoader = ScopedResilience4jPostProcessor.class.getClassLoader();

	private static final boolean circuitBreakerPresent = ClassUtils
		.isPresent("io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry", classLoader);

	private static final boolean retryPresent = ClassUtils.isPresent("io.github.resilience4j.retry.RetryRegistry",
			classLoader);

	private static final boolean bulkheadPresent = ClassUtils
		.isPresent("io.github.resilience4j.bulkhead.BulkheadRegistry", classLoader);

	private volatile @Nullable ObjectProvider<FaultRegistry> faultRegistry;

	private final ScopeEndWatcher watcher = new ScopeEndWatcher(() -> {
		ObjectProvider<FaultRegistry> provider = this.faultRegistry;
		return (provider != null) ? provider.getIfAvailable() : null;
	});

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.faultRegistry = beanFactory.getBeanProvider(FaultRegistry.class);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (circuitBreakerPresent && CircuitBreakers.isRegistry(bean)) {
			return proxy(bean, CircuitBreakerRegistry.class, CircuitBreakers.interceptor(bean, this.watcher));
		}
		if (retryPresent && Retries.isRegistry(bean)) {
			return proxy(bean, RetryRegistry.class, Retries.interceptor(bean, this.watcher));
		}
		if (bulkheadPresent && Bulkheads.isRegistry(bean)) {
			return proxy(bean, BulkheadRegistry.class, Bulkheads.interceptor(bean, this.watcher));
		}
		return bean;
	}

	/**
	 * Stop watching for scopes that end.
	 */
	@Override
	public void destroy() {
		this.watcher.close();
	}

	private static Object proxy(Object registry, Class<?> type, MethodInterceptor interceptor) {
		ProxyFactory factory = new ProxyFactory(registry);
		factory.setInterfaces(type);
		factory.addAdvice(interceptor);
		return factory.getProxy(classLoader);
	}

	// One holder per registry type, so that a missing module's classes are never loaded.

	private static final class CircuitBreakers {

		static boolean isRegistry(Object bean) {
			return bean instanceof CircuitBreakerRegistry;
		}

		static MethodInterceptor interceptor(Object registry, ScopeEndWatcher watcher) {
			return new ScopedRegistryInterceptor<CircuitBreakerRegistry, CircuitBreaker, CircuitBreakerConfig>(
					(CircuitBreakerRegistry) registry, "circuitBreaker", CircuitBreaker::getCircuitBreakerConfig,
					CircuitBreakerRegistry::circuitBreaker, watcher);
		}

	}

	private static final class Retries {

		static boolean isRegistry(Object bean) {
			return bean instanceof RetryRegistry;
		}

		static MethodInterceptor interceptor(Object registry, ScopeEndWatcher watcher) {
			return new ScopedRegistryInterceptor<RetryRegistry, Retry, RetryConfig>((RetryRegistry) registry, "retry",
					Retry::getRetryConfig, RetryRegistry::retry, watcher);
		}

	}

	private static final class Bulkheads {

		static boolean isRegistry(Object bean) {
			return bean instanceof BulkheadRegistry;
		}

		static MethodInterceptor interceptor(Object registry, ScopeEndWatcher watcher) {
			return new ScopedRegistryInterceptor<BulkheadRegistry, Bulkhead, BulkheadConfig>(
					(BulkheadRegistry) registry, "bulkhead", Bulkhead::getBulkheadConfig, BulkheadRegistry::bulkhead,
					watcher);
		}

	}

}
