package dev.dbchaos.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.actuate.DbChaosEndpoint;
import dev.dbchaos.actuate.DbChaosEndpoint.DataSourceDescriptor;
import dev.dbchaos.actuate.DbChaosEndpointWebExtension;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DbChaosEndpointAutoConfiguration}.
 */
class DbChaosEndpointAutoConfigurationTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class,
				DbChaosEndpointAutoConfiguration.class, EndpointAutoConfiguration.class,
				WebEndpointAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + postgres.jdbcUrl());

	@Test
	void noEndpointUnlessEnabled() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=dbchaos")
			.run((context) -> assertThat(context).doesNotHaveBean(DbChaosEndpoint.class));
	}

	@Test
	void noEndpointUnlessExposed() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(DbChaosEndpoint.class));
	}

	@Test
	void endpointAndWebExtensionWhenEnabledAndExposed() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos")
			.run((context) -> assertThat(context).hasSingleBean(DbChaosEndpoint.class)
				.hasSingleBean(DbChaosEndpointWebExtension.class));
	}

	@Test
	void endpointListsEachDataSourceWithItsPoolAndWhereTheProxySits() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos")
			.withUserConfiguration(TwoDataSourcesConfiguration.class)
			.run((context) -> assertThat(context.getBean(DbChaosEndpoint.class).faults().dataSources())
				.containsExactlyInAnyOrder(new DataSourceDescriptor("orders", "hikari", "beneath-pool"),
						new DataSourceDescriptor("reports", "none", "around-driver")));
	}

	@Test
	void noEndpointWhenAccessIsNone() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos",
					"management.endpoint.dbchaos.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(DbChaosEndpoint.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSourcesConfiguration {

		@Bean(destroyMethod = "close")
		HikariDataSource orders() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl(postgres.jdbcUrl());
			pool.setUsername(postgres.username());
			pool.setPassword(postgres.password());
			return pool;
		}

		@Bean
		SimpleDriverDataSource reports() {
			return new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(), postgres.username(),
					postgres.password());
		}

	}

}
