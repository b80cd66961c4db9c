package dev.dbchaos.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link DbChaosMetricsAutoConfiguration}.
 */
class DbChaosMetricsAutoConfigurationTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class,
				DbChaosMetricsAutoConfiguration.class, BootAutoConfigurations.METRICS,
				BootAutoConfigurations.SIMPLE_METRICS_EXPORT, BootAutoConfigurations.DATA_SOURCE_POOL_METRICS))
		.withPropertyValues("dbchaos.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl(),
				"spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password());

	@Test
	void hikariMetricsStillWorkBeneathTheProxy() {
		this.contextRunner.run((context) -> {
			new JdbcTemplate(context.getBean(javax.sql.DataSource.class)).queryForObject("select 1", Integer.class);
			assertThat(context.getBean(MeterRegistry.class).find("hikaricp.connections").gauge()).isNotNull();
		});
	}

	@Test
	void countsInjectionsAndActiveFaults() {
		this.contextRunner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			FaultRegistry registry = context.getBean(FaultRegistry.class);
			assertThat(meters.get("dbchaos.faults.active").tag("type", "error").gauge().value()).isZero();
			registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).build());
			assertThat(meters.get("dbchaos.faults.active").tag("type", "error").gauge().value()).isOne();
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			assertThatException().isThrownBy(() -> jdbc.queryForObject("select 1", Integer.class));
			assertThat(meters.get("dbchaos.injections")
				.tag("type", "error")
				.tag("operation", "query")
				.tag("datasource", "dataSource")
				.counter()
				.count()).isOne();
			registry.clear();
			assertThat(meters.get("dbchaos.faults.active").tag("type", "error").gauge().value()).isZero();
		});
	}

	@Test
	void everyMeterRegistryOfTheApplicationCountsEveryInjectionOnce() {
		// Without a composite, Spring Boot binds the metrics to each registry in turn.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class,
					DbChaosMetricsAutoConfiguration.class, BootAutoConfigurations.METRICS))
			.withUserConfiguration(TwoMeterRegistriesConfiguration.class)
			.withPropertyValues("dbchaos.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl(),
					"spring.datasource.username=" + postgres.username(),
					"spring.datasource.password=" + postgres.password())
			.run((context) -> {
				context.getBean(FaultRegistry.class)
					.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).build());
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
				assertThatException().isThrownBy(() -> jdbc.queryForObject("select 1", Integer.class));
				for (String name : new String[] { "firstMeterRegistry", "secondMeterRegistry" }) {
					MeterRegistry meters = context.getBean(name, MeterRegistry.class);
					assertThat(meters.get("dbchaos.injections")
						.tag("type", "error")
						.tag("operation", "query")
						.tag("datasource", "dataSource")
						.counter()
						.count()).as(name).isOne();
				}
			});
	}

	@Test
	void timesInjectedDelays() {
		this.contextRunner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			context.getBean(FaultRegistry.class)
				.add(FaultSpec.builder(FaultType.LATENCY).delay(java.time.Duration.ofMillis(30)).build());
			new JdbcTemplate(context.getBean(javax.sql.DataSource.class)).queryForObject("select 1", Integer.class);
			assertThat(meters.get("dbchaos.injected.delay")
				.tag("type", "latency")
				.timer()
				.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(30);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoMeterRegistriesConfiguration {

		// Primary only for the beans that want one registry (observation handling).
		@Bean
		@Primary
		SimpleMeterRegistry firstMeterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		SimpleMeterRegistry secondMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
