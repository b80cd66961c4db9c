package dev.dbchaos.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DbChaosAutoConfiguration}, against a real PostgreSQL.
 */
class DbChaosAutoConfigurationTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + postgres.jdbcUrl(),
				"spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password(),
				"spring.datasource.hikari.connection-timeout=1000");

	@Test
	void doesNothingUnlessEnabled() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(FaultRegistry.class)
				.doesNotHaveBean(DbChaosDataSourcePostProcessor.class);
			assertThat(context.getBean(HikariDataSource.class).getDataSource()).isNull();
		});
	}

	@Test
	void doesNothingWhenExplicitlyDisabled() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FaultRegistry.class));
	}

	@Test
	void putsTheProxyBeneathHikari() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=true").run((context) -> {
			HikariDataSource hikari = context.getBean(HikariDataSource.class);
			assertThat(hikari.getDataSource()).isInstanceOf(ChaosDataSource.class);
			assertThat(context.getBean(FaultRegistry.class).getDataSources()).containsExactly("dataSource");
			assertThat(new JdbcTemplate(hikari).queryForObject("select 1", Integer.class)).isEqualTo(1);
		});
	}

	@Test
	void ruleBeneathHikariBreaksTheNextQuery() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=true").run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			FaultRule rule = context.getBean(FaultRegistry.class)
				.add(dev.dbchaos.fault.FaultSpec.builder(FaultType.ERROR).sqlState("40001").build());
			assertThatExceptionOfType(org.springframework.dao.DataAccessException.class)
				.isThrownBy(() -> jdbc.queryForObject("select 1", Integer.class));
			context.getBean(FaultRegistry.class).remove(rule.getId());
			assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
		});
	}

	@Test
	void unwrapReachesThePoolThroughTheProxy() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=true").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource.isWrapperFor(HikariDataSource.class)).isTrue();
			assertThat(dataSource.unwrap(HikariDataSource.class)).isSameAs(dataSource);
		});
	}

	@Test
	void wrapsOtherDataSourcesAsAWholeKeepingTheirType() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=true")
			.withUserConfiguration(SimpleDataSourceConfiguration.class)
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(dataSource).isInstanceOf(SimpleDriverDataSource.class);
				assertThat(dataSource.isWrapperFor(ChaosDataSource.class)).isTrue();
				// Spring AOP hands out the proxy for its target; it is the pool's type
				// and
				// delegates every pool method, so metrics and health read the real pool.
				assertThat(dataSource.unwrap(SimpleDriverDataSource.class).getUrl()).isEqualTo(postgres.jdbcUrl());
				context.getBean(FaultRegistry.class).add(dev.dbchaos.fault.FaultSpec.builder(FaultType.OUTAGE).build());
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> {
					try (Connection connection = dataSource.getConnection()) {
						connection.createStatement().execute("select 1");
					}
				}).satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08001"));
			});
	}

	@Test
	void leavesExcludedBeansAlone() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=true", "dbchaos.exclude-beans=dataSource")
			.run((context) -> {
				assertThat(context.getBean(HikariDataSource.class).getDataSource()).isNull();
				assertThat(context.getBean(FaultRegistry.class).getDataSources()).isEmpty();
			});
	}

	@Test
	void configuredFaultsAreActiveFromStartUp() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "dbchaos.faults[0].type=latency",
					"dbchaos.faults[0].delay=20ms", "dbchaos.faults[0].operation=query",
					"dbchaos.faults[1].type=read-only", "dbchaos.faults[1].duration=30s")
			.run((context) -> {
				FaultRegistry registry = context.getBean(FaultRegistry.class);
				assertThat(registry.getRules()).extracting(FaultRule::getType)
					.containsExactly(FaultType.LATENCY, FaultType.READ_ONLY);
				assertThat(registry.getRules().get(0).getSpec().getDelay()).isEqualTo(Duration.ofMillis(20));
			});
	}

	@Test
	void appliesDurationSettings() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "dbchaos.default-duration=10s", "dbchaos.max-duration=1m")
			.run((context) -> {
				FaultRegistry registry = context.getBean(FaultRegistry.class);
				assertThat(registry.getDefaultDuration()).isEqualTo(Duration.ofSeconds(10));
				assertThat(registry.getMaxDuration()).isEqualTo(Duration.ofMinutes(1));
			});
	}

	@Test
	void failsToStartWithAnInvalidConfiguredFaultNamingAFieldOfTwoWordsByItsPropertyName() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "dbchaos.faults[0].type=error",
					"dbchaos.faults[0].sql-state=4000")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
						assertThat(ex.getName()).isEqualTo("dbchaos.faults[0].sql-state");
						assertThat(ex.getValue()).isEqualTo("4000");
						assertThat(ex.getReason()).isEqualTo("must be 5 digits or upper-case letters, was '4000'");
					});
			});
	}

	@Test
	void failsToStartWithAnInvalidConfiguredFaultNamingThePropertyItsValueAndTheReason() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "dbchaos.faults[0].type=error",
					"dbchaos.faults[0].sql-state=40001", "dbchaos.faults[0].probability=1.5")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
						assertThat(ex.getName()).isEqualTo("dbchaos.faults[0].probability");
						assertThat(ex.getValue()).isEqualTo("1.5");
						assertThat(ex.getReason()).isEqualTo("must be between 0 and 1, was 1.5");
					});
			});
	}

	@Test
	void failsToStartWithAnInvalidFieldOfAConfiguredFaultNamingItsPropertyInKebabCase() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "dbchaos.faults[0].type=error",
					"dbchaos.faults[0].sql-state=4x001")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo("dbchaos.faults[0].sql-state");
					assertThat(ex.getValue()).isEqualTo("4x001");
				}));
	}

	@Test
	void failsToStartWhenDefaultDurationExceedsMaxShowingTheValueAsWritten() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=true", "dbchaos.default-duration=2h")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo("dbchaos.default-duration");
					assertThat(ex.getValue()).isEqualTo("2h");
					assertThat(ex.getReason()).contains("must not exceed dbchaos.max-duration");
				}));
	}

	@Test
	void failsToStartWithAnUnknownKeyInAConfiguredFaultNamingIt() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "dbchaos.faults[0].type=outage", "dbchaos.faults[0].scpoe=t-1")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOfSatisfying(UnboundConfigurationPropertiesException.class,
							(ex) -> assertThat(ex.getUnboundProperties()).extracting(ConfigurationProperty::getName)
								.extracting(Object::toString)
								.containsExactly("dbchaos.faults[0].scpoe"));
			});
	}

	@Test
	void unknownKeyInASecondConfiguredFaultIsFoundToo() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "dbchaos.faults[0].type=outage", "dbchaos.faults[0].scope=t-1",
					"dbchaos.faults[1].type=hang", "dbchaos.faults[1].durration=1m")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(UnboundConfigurationPropertiesException.class,
						(ex) -> assertThat(ex.getUnboundProperties()).extracting(ConfigurationProperty::getName)
							.extracting(Object::toString)
							.containsExactly("dbchaos.faults[1].durration")));
	}

	@Test
	void otherKeysUnderDbchaosAreNotDbchaossToRefuse() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "dbchaos.it.postgres=local", "dbchaos.figures=true",
					"dbchaos.faults[0].type=outage", "dbchaos.faults[0].scope=t-1")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(FaultRegistry.class)
				.satisfies((registry) -> assertThat(registry.getRules()).hasSize(1)));
	}

	@Test
	void endsEveryRuleWhenTheContextCloses() {
		FaultRule[] rule = new FaultRule[1];
		this.contextRunner.withPropertyValues("dbchaos.enabled=true")
			.run((context) -> rule[0] = context.getBean(FaultRegistry.class)
				.add(dev.dbchaos.fault.FaultSpec.builder(FaultType.HANG).build()));
		assertThat(rule[0].hasEnded()).isTrue();
	}

	@Test
	void shutdownReleasesCallsHangingOnAFault() throws Exception {
		// What the hung call ended with: its result, or the failure of a pool closing
		// under it.
		java.util.concurrent.CompletableFuture<Object> hungQuery = new java.util.concurrent.CompletableFuture<>();
		java.util.concurrent.CountDownLatch injected = new java.util.concurrent.CountDownLatch(1);
		this.contextRunner.withPropertyValues("dbchaos.enabled=true").run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			jdbc.queryForObject("select 1", Integer.class);
			FaultRegistry registry = context.getBean(FaultRegistry.class);
			registry.addListener(new dev.dbchaos.fault.FaultListener() {
				@Override
				public void injected(FaultRule rule, dev.dbchaos.fault.JdbcCall call) {
					injected.countDown();
				}
			});
			registry.add(dev.dbchaos.fault.FaultSpec.builder(FaultType.HANG)
				.operation(dev.dbchaos.fault.Operation.QUERY)
				.build());
			new Thread(() -> {
				try {
					hungQuery.complete(jdbc.queryForObject("select 2", Integer.class));
				}
				catch (RuntimeException ex) {
					hungQuery.complete(ex);
				}
			}).start();
			assertThat(injected.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			assertThat(hungQuery).isNotDone();
		});
		// Shutdown never waits on a hang: the rules end as the context starts closing
		// (FaultRegistryShutdown), so the query goes on and answers 2, unless the pool's
		// own
		// shutdown, which follows at once and aborts what is still running, gets there
		// first.
		Object outcome = hungQuery.get(10, java.util.concurrent.TimeUnit.SECONDS);
		if (!Integer.valueOf(2).equals(outcome)) {
			assertThat(outcome).as("the released query's failure")
				.isInstanceOf(org.springframework.dao.DataAccessException.class);
		}
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnRegistry() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=true")
			.withBean("customRegistry", FaultRegistry.class,
					() -> new FaultRegistry(Duration.ofSeconds(1), Duration.ofSeconds(2)))
			.run((context) -> assertThat(context).hasSingleBean(FaultRegistry.class).hasBean("customRegistry"));
	}

	@Test
	void registersTheScopeFilterInServletApplications() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class))
			.withPropertyValues("dbchaos.enabled=true", "dbchaos.scope.header-name=X-Test-Scope",
					"spring.datasource.url=" + postgres.jdbcUrl())
			.run((context) -> assertThat(context).hasBean("dbChaosScopeFilter")
				.getBean("dbChaosScopeFilter", FilterRegistrationBean.class)
				.extracting(FilterRegistrationBean::getFilter)
				.hasFieldOrPropertyWithValue("headerName", "X-Test-Scope"));
	}

	@Configuration(proxyBeanMethods = false)
	static class SimpleDataSourceConfiguration {

		@Bean
		SimpleDriverDataSource dataSource() {
			return new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(), postgres.username(),
					postgres.password());
		}

	}

}
