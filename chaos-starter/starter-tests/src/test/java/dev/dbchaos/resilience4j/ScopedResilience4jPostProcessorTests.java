package dev.dbchaos.resilience4j;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import org.junit.jupiter.api.Test;

import dev.dbchaos.autoconfigure.BootAutoConfigurations;
import dev.dbchaos.DbChaosScope;
import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.testpostgres.ManagedPostgres;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ScopedResilience4jPostProcessor}.
 */
class ScopedResilience4jPostProcessorTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final CircuitBreakerConfig strict = CircuitBreakerConfig.custom()
		.slidingWindowSize(2)
		.minimumNumberOfCalls(2)
		.failureRateThreshold(50)
		.waitDurationInOpenState(Duration.ofMinutes(1))
		.build();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class))
		.withPropertyValues("dbchaos.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl())
		.withBean(CircuitBreakerRegistry.class, () -> CircuitBreakerRegistry.of(strict))
		.withBean(RetryRegistry.class, () -> RetryRegistry.of(RetryConfig.custom().maxAttempts(7).build()));

	@Test
	void registriesAreSharedUnlessIsolationIsOn() {
		this.contextRunner.run((context) -> {
			CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
			try (DbChaosScope.Binding binding = DbChaosScope.bind("t-1")) {
				assertThat(registry.circuitBreaker("db").getName()).isEqualTo("db");
			}
		});
	}

	@Test
	void scopedCallsGetTheirOwnBreakerWithTheSameConfiguration() {
		this.contextRunner.withPropertyValues("dbchaos.scope.isolate-resilience4j=true").run((context) -> {
			CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
			CircuitBreaker shared = registry.circuitBreaker("db");
			try (DbChaosScope.Binding binding = DbChaosScope.bind("t-1")) {
				CircuitBreaker scoped = registry.circuitBreaker("db");
				assertThat(scoped.getName()).isEqualTo("db@t-1");
				assertThat(scoped.getCircuitBreakerConfig()).isSameAs(shared.getCircuitBreakerConfig());
				assertThat(registry.circuitBreaker("db", strict)).isSameAs(scoped);
			}
			assertThat(registry.circuitBreaker("db")).isSameAs(shared);
		});
	}

	@Test
	void scopedFailuresOpenOnlyTheScopesBreaker() {
		this.contextRunner.withPropertyValues("dbchaos.scope.isolate-resilience4j=true").run((context) -> {
			CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
			try (DbChaosScope.Binding binding = DbChaosScope.bind("t-2")) {
				CircuitBreaker scoped = registry.circuitBreaker("db");
				scoped.onError(0, java.util.concurrent.TimeUnit.MILLISECONDS, new IllegalStateException("down"));
				scoped.onError(0, java.util.concurrent.TimeUnit.MILLISECONDS, new IllegalStateException("down"));
				assertThat(scoped.getState()).isEqualTo(CircuitBreaker.State.OPEN);
			}
			assertThat(registry.circuitBreaker("db").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			try (DbChaosScope.Binding binding = DbChaosScope.bind("t-3")) {
				assertThat(registry.circuitBreaker("db").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			}
		});
	}

	@Test
	void breakerAskedForByConfigurationNameIsIsolatedWithTheSharedOnesConfiguration() {
		// As Spring Boot applications ask: instance "database" with configuration "database",
		// which exists as an instance but not as a named configuration.
		this.contextRunner.withPropertyValues("dbchaos.scope.isolate-resilience4j=true").run((context) -> {
			CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
			CircuitBreaker shared = registry.circuitBreaker("database", strict);
			try (DbChaosScope.Binding binding = DbChaosScope.bind("t-5")) {
				CircuitBreaker scoped = registry.circuitBreaker("database", "database");
				assertThat(scoped.getName()).isEqualTo("database@t-5");
				assertThat(scoped.getCircuitBreakerConfig()).isSameAs(shared.getCircuitBreakerConfig());
			}
		});
	}

	@Test
	void retriesAreIsolatedToo() {
		this.contextRunner.withPropertyValues("dbchaos.scope.isolate-resilience4j=true").run((context) -> {
			RetryRegistry registry = context.getBean(RetryRegistry.class);
			try (DbChaosScope.Binding binding = DbChaosScope.bind("t-4")) {
				assertThat(registry.retry("db").getName()).isEqualTo("db@t-4");
				assertThat(registry.retry("db").getRetryConfig().getMaxAttempts()).isEqualTo(7);
			}
		});
	}

}
