package dev.dbchaos.autoconfigure;

import java.sql.SQLException;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.jdbc.ChaosDriver;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Dbcp2ChaosInstaller}: where dbchaos goes in a Commons DBCP2 pool,
 * auto-configured by Spring Boot or declared by the application, on a real PostgreSQL.
 */
class Dbcp2ChaosInstallerTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class))
		.withPropertyValues("dbchaos.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl(),
				"spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password(),
				"spring.datasource.type=org.apache.commons.dbcp2.BasicDataSource");

	@Test
	void springBootsDbcp2PoolGetsAChaosDriverBeneathItUnderItsBeanName() {
		this.contextRunner.run((context) -> {
			BasicDataSource pool = context.getBean(BasicDataSource.class);
			assertThat(pool.getDriver()).isInstanceOfSatisfying(ChaosDriver.class, (chaos) -> {
				assertThat(chaos.getChaosDataSource().getName()).isEqualTo("dataSource");
				assertThat(chaos.getDriver()).isInstanceOf(org.postgresql.Driver.class);
			});
			assertThat(context.getBean(FaultRegistry.class).getDataSources()).containsExactly("dataSource");
			assertThat(context.getBean(DbChaosDataSourcePostProcessor.class).placementOf("dataSource"))
				.isEqualTo(new ProxyPlacement("dbcp2", ProxyPlacement.BENEATH_POOL));
			assertThat(new JdbcTemplate(pool).queryForObject("select 1", Integer.class)).isOne();
		});
	}

	@Test
	void aFaultBeneathTheDbcp2PoolBreaksItsPhysicalConnections() {
		this.contextRunner.run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			context.getBean(FaultRegistry.class)
				.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).count(1).build());
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> jdbc.queryForObject("select 1", Integer.class))
				.satisfies((ex) -> assertThat(((SQLException) ex.getCause()).getSQLState()).isEqualTo("40001"));
			assertThat(jdbc.queryForObject("select 1", Integer.class)).isOne();
		});
	}

	@Test
	void theDbcp2PoolConnectsWithItsOwnCredentialsAndDriverProperties() {
		this.contextRunner
			.withPropertyValues("spring.datasource.dbcp2.connection-properties=ApplicationName=dbchaos-dbcp2")
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForObject("select current_setting('application_name')", String.class))
					.isEqualTo("dbchaos-dbcp2");
				assertThat(jdbc.queryForObject("select current_user", String.class)).isEqualTo(postgres.username());
			});
	}

	@Test
	void aDbcp2PoolTheApplicationDeclaresGetsAChaosDriverBeneathIt() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DbChaosAutoConfiguration.class))
			.withPropertyValues("dbchaos.enabled=true")
			.withUserConfiguration(DeclaredPoolConfiguration.class)
			.run((context) -> {
				BasicDataSource pool = context.getBean(BasicDataSource.class);
				assertThat(pool.getDriver()).isInstanceOf(ChaosDriver.class);
				assertThat(context.getBean(DbChaosDataSourcePostProcessor.class).placementOf("orders"))
					.isEqualTo(new ProxyPlacement("dbcp2", ProxyPlacement.BENEATH_POOL));
				assertThat(new JdbcTemplate(pool).queryForObject("select current_user", String.class))
					.isEqualTo(postgres.username());
			});
	}

	@Test
	void aDbcp2PoolStartedBeforeDbChaosSawItIsWrappedAsAWhole() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DbChaosAutoConfiguration.class))
			.withPropertyValues("dbchaos.enabled=true")
			.withUserConfiguration(StartedPoolConfiguration.class)
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(dataSource).isInstanceOf(BasicDataSource.class);
				assertThat(dataSource.isWrapperFor(ChaosDataSource.class)).isTrue();
				assertThat(((BasicDataSource) dataSource).getDriver()).isNull();
				assertThat(context.getBean(DbChaosDataSourcePostProcessor.class).placementOf("orders"))
					.isEqualTo(new ProxyPlacement("dbcp2", ProxyPlacement.ABOVE_POOL));
				assertThat(context.getBean(FaultRegistry.class).getDataSources()).containsExactly("orders");
			});
	}

	@Test
	void springBootsPoolMetricsStillReadTheDbcp2Pool() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.METRICS,
					BootAutoConfigurations.SIMPLE_METRICS_EXPORT, BootAutoConfigurations.DATA_SOURCE_POOL_METRICS))
			.withPropertyValues("spring.datasource.dbcp2.max-total=7")
			.run((context) -> {
				new JdbcTemplate(context.getBean(DataSource.class)).queryForObject("select 1", Integer.class);
				assertThat(context.getBean(MeterRegistry.class)
					.get("jdbc.connections.max")
					.tag("name", "dataSource")
					.gauge()
					.value()).isEqualTo(7);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class DeclaredPoolConfiguration {

		@Bean
		BasicDataSource orders() {
			BasicDataSource pool = new BasicDataSource();
			pool.setDriverClassName("org.postgresql.Driver");
			pool.setUrl(postgres.jdbcUrl());
			pool.setUsername(postgres.username());
			pool.setPassword(postgres.password());
			return pool;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StartedPoolConfiguration {

		@Bean(destroyMethod = "close")
		BasicDataSource orders() throws SQLException {
			BasicDataSource pool = new DeclaredPoolConfiguration().orders();
			pool.setInitialSize(1);
			pool.start();
			return pool;
		}

	}

}
