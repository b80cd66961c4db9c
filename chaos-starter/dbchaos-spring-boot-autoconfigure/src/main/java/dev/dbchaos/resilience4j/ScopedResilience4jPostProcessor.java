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

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Wraps the application's Resilience4j registries so that each scope gets its own circuit
 * breakers, retries and bulkheads (see {@link ScopedRegistryInterceptor}). Each registry type is
 * handled only when its module is on the class path.
 *
 * @author dbchaos
 */
public class ScopedResilience4jPostProcessor implements BeanPostProcessor {

	private static final ClassLoader classLoader = ScopedResilience4jPostProcessor.class.getClassLoader();

	private static final boolean circuitBreakerPresent = ClassUtils
		.isPresent("io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry", classLoader);

	private static final boolean retryPresent = ClassUtils.isPresent("io.github.resilience4j.retry.RetryRegistry",
			classLoader);

	private static final boolean bulkheadPresent = ClassUtils
		.isPresent("io.github.resilience4j.bulkhead.BulkheadRegistry", classLoader);

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (circuitBreakerPresent && CircuitBreakers.isRegistry(bean)) {
			return proxy(bean, CircuitBreakerRegistry.class, CircuitBreakers.interceptor());
		}
		if (retryPresent && Retries.isRegistry(bean)) {
			return proxy(bean, RetryRegistry.class, Retries.interceptor());
		}
		if (bulkheadPresent && Bulkheads.isRegistry(bean)) {
			return proxy(bean, BulkheadRegistry.class, Bulkheads.interceptor());
		}
		return bean;
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

		static MethodInterceptor interceptor() {
			return new ScopedRegistryInterceptor<CircuitBreakerRegistry, CircuitBreaker, CircuitBreakerConfig>(
					"circuitBreaker", CircuitBreaker::getCircuitBreakerConfig,
					(registry, args) -> registry.circuitBreaker((String) args[0], (CircuitBreakerConfig) args[1]));
		}

	}

	private static final class Retries {

		static boolean isRegistry(Object bean) {
			return bean instanceof RetryRegistry;
		}

		static MethodInterceptor interceptor() {
			return new ScopedRegistryInterceptor<RetryRegistry, Retry, RetryConfig>("retry", Retry::getRetryConfig,
					(registry, args) -> registry.retry((String) args[0], (RetryConfig) args[1]));
		}

	}

	private static final class Bulkheads {

		static boolean isRegistry(Object bean) {
			return bean instanceof BulkheadRegistry;
		}

		static MethodInterceptor interceptor() {
			return new ScopedRegistryInterceptor<BulkheadRegistry, Bulkhead, BulkheadConfig>("bulkhead",
					Bulkhead::getBulkheadConfig,
					(registry, args) -> registry.bulkhead((String) args[0], (BulkheadConfig) args[1]));
		}

	}

}
