package dev.dbchaos.resilience4j;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.ScopeActivity;
import dev.dbchaos.autoconfigure.BootAutoConfigurations;
import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
		.withPropertyValues("dbchaos.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl(),
				"spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password(), "spring.datasource.hikari.connection-timeout=2000")
		.withBean(CircuitBreakerRegistry.class, () -> CircuitBreakerRegistry.of(strict))
		.withBean(RetryRegistry.class, () -> RetryRegistry.of(RetryConfig.custom().maxAttempts(7).build()))
		.withBean(BulkheadRegistry.class, BulkheadRegistry::ofDefaults);

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
		// As Spring Boot applications ask: instance "database" with configuration
		// "database",
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

	@Test
	void tenThousandScopesLeaveTheRegistriesAtTheirStartingSize() {
		this.contextRunner.withPropertyValues("dbchaos.scope.isolate-resilience4j=true").run((context) -> {
			CircuitBreakerRegistry circuitBreakers = context.getBean(CircuitBreakerRegistry.class);
			RetryRegistry retries = context.getBean(RetryRegistry.class);
			BulkheadRegistry bulkheads = context.getBean(BulkheadRegistry.class);
			circuitBreakers.circuitBreaker("db");
			retries.retry("db");
			bulkheads.bulkhead("db");
			int circuitBreakersAtStart = circuitBreakers.getAllCircuitBreakers().size();
			int retriesAtStart = retries.getAllRetries().size();
			int bulkheadsAtStart = bulkheads.getAllBulkheads().size();
			for (int i = 0; i < 10_000; i++) {
				String scope = "many-" + i;
				try (DbChaosScope.Binding binding = DbChaosScope.bind(scope)) {
					assertThat(circuitBreakers.circuitBreaker("db").getName()).isEqualTo("db@" + scope);
					assertThat(retries.retry("db").getName()).isEqualTo("db@" + scope);
					assertThat(bulkheads.bulkhead("db").getName()).isEqualTo("db@" + scope);
					assertThat(circuitBreakers.getAllCircuitBreakers()).hasSize(circuitBreakersAtStart + 1);
				}
			}
			assertThat(circuitBreakers.getAllCircuitBreakers()).hasSize(circuitBreakersAtStart);
			assertThat(retries.getAllRetries()).hasSize(retriesAtStart);
			assertThat(bulkheads.getAllBulkheads()).hasSize(bulkheadsAtStart);
		});
	}

	@Test
	void aScopesInstancesStayUntilItsLastWorkInFlightEnds() {
		this.contextRunner.withPropertyValues("dbchaos.scope.isolate-resilience4j=true").run((context) -> {
			CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
			ScopeActivity.Work task;
			CircuitBreaker scoped;
			try (DbChaosScope.Binding request = DbChaosScope.bind("t-async")) {
				scoped = registry.circuitBreaker("db");
				// A task the request submitted, still running once the request is done.
				task = ScopeActivity.begin("t-async");
			}
			assertThat(circuitBreakerNames(registry)).contains("db@t-async");
			try (DbChaosScope.Binding inTask = DbChaosScope.propagate("t-async")) {
				assertThat(registry.circuitBreaker("db")).isSameAs(scoped);
			}
			task.end();
			assertThat(circuitBreakerNames(registry)).containsExactly("db");
		});
	}

	@Test
	void aScopedBreakerRemembersFailuresAcrossRequestsWhileTheScopesFaultIsInForceAndGoesWithIt() {
		this.contextRunner.withPropertyValues("dbchaos.scope.isolate-resilience4j=true").run((context) -> {
			CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
			FaultRegistry faults = context.getBean(FaultRegistry.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			faults.add(FaultSpec.builder(FaultType.OUTAGE).scope("t-down").build());
			// Each request is a unit of work of its own: between them the scope is quiet.
			for (int i = 0; i < 2; i++) {
				try (DbChaosScope.Binding request = DbChaosScope.bind("t-down")) {
					CircuitBreaker breaker = registry.circuitBreaker("db");
					assertThatExceptionOfType(DataAccessException.class).isThrownBy(
							() -> breaker.executeSupplier(() -> jdbc.queryForObject("select 1", Integer.class)));
				}
			}
			try (DbChaosScope.Binding request = DbChaosScope.bind("t-down")) {
				CircuitBreaker breaker = registry.circuitBreaker("db");
				assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
				assertThatExceptionOfType(CallNotPermittedException.class)
					.isThrownBy(() -> breaker.executeSupplier(() -> jdbc.queryForObject("select 1", Integer.class)));
			}
			assertThat(registry.circuitBreaker("db").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			assertThat(circuitBreakerNames(registry)).containsExactlyInAnyOrder("db", "db@t-down");

			// The test is over: its faults are cleared, and its breaker goes with them.
			faults.clearScope("t-down");
			assertThat(circuitBreakerNames(registry)).containsExactly("db");
			try (DbChaosScope.Binding request = DbChaosScope.bind("t-down")) {
				CircuitBreaker breaker = registry.circuitBreaker("db");
				assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
				assertThat(breaker.executeSupplier(() -> jdbc.queryForObject("select 1", Integer.class))).isOne();
			}
			assertThat(circuitBreakerNames(registry)).containsExactly("db");
		});
	}

	@Test
	void aScopeEndingLeavesTheSharedInstancesAndOtherScopesAlone() {
		this.contextRunner.withPropertyValues("dbchaos.scope.isolate-resilience4j=true").run((context) -> {
			RetryRegistry retries = context.getBean(RetryRegistry.class);
			BulkheadRegistry bulkheads = context.getBean(BulkheadRegistry.class);
			Retry shared = retries.retry("db");
			try (DbChaosScope.Binding other = DbChaosScope.bind("t-other")) {
				Retry otherRetry = retries.retry("db");
				Bulkhead otherBulkhead = bulkheads.bulkhead("db");
				try (DbChaosScope.Binding mine = DbChaosScope.bind("t-mine")) {
					retries.retry("db");
					bulkheads.bulkhead("db");
				}
				assertThat(retries.getAllRetries()).extracting(Retry::getName)
					.containsExactlyInAnyOrder("db", "db@t-other");
				assertThat(retries.retry("db")).isSameAs(otherRetry);
				assertThat(bulkheads.bulkhead("db")).isSameAs(otherBulkhead);
			}
			assertThat(retries.getAllRetries()).extracting(Retry::getName).containsExactly("db");
			assertThat(retries.retry("db")).isSameAs(shared);
		});
	}

	private static Set<String> circuitBreakerNames(CircuitBreakerRegistry registry) {
		return registry.getAllCircuitBreakers().stream().map(CircuitBreaker::getName).collect(Collectors.toSet());
	}

}
