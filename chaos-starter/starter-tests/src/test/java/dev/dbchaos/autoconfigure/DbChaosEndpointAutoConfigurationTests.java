package dev.dbchaos.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.dbchaos.actuate.DbChaosEndpoint;
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
	void noEndpointWhenAccessIsNone() {
		this.contextRunner
			.withPropertyValues("dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos",
					"management.endpoint.dbchaos.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(DbChaosEndpoint.class));
	}

}
