package dev.dbchaos.boot3;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.jdbc.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.dbchaos.autoconfigure.BootAutoConfigurations;
import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DbChaosHealthContributorAutoConfiguration}.
 */
class DbChaosHealthContributorAutoConfigurationTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class,
				DbChaosHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				DataSourceHealthContributorAutoConfiguration.class))
		.withPropertyValues("dbchaos.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl(),
				"spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password());

	@Test
	void dbHealthStaysUpBeneathTheProxy() {
		this.contextRunner.run((context) -> {
			HealthIndicator db = context.getBean("dbHealthContributor", HealthIndicator.class);
			assertThat(db.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void dbHealthGoesDownUnderAnInjectedOutage() {
		this.contextRunner.withPropertyValues("spring.datasource.hikari.connection-timeout=500").run((context) -> {
			context.getBean(FaultRegistry.class).add(FaultSpec.builder(FaultType.OUTAGE).build());
			HealthIndicator db = context.getBean("dbHealthContributor", HealthIndicator.class);
			assertThat(db.health().getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void dbchaosHealthListsActiveFaults() {
		this.contextRunner.run((context) -> {
			context.getBean(FaultRegistry.class).add(FaultSpec.builder(FaultType.HANG).id("freeze").build());
			Health health = context.getBean("dbchaosHealthIndicator", DbChaosHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("faults")).asString().contains("freeze");
		});
	}

	@Test
	void dbchaosHealthCanBeDisabled() {
		this.contextRunner.withPropertyValues("management.health.dbchaos.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DbChaosHealthIndicator.class));
	}

}
