package dev.dbchaos.boot3;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.fault.FaultRegistry;

/**
 * Auto-configuration for the {@code dbchaos} health contributor, on Spring Boot 3.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DbChaosAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(FaultRegistry.class)
@ConditionalOnEnabledHealthIndicator("dbchaos")
public class DbChaosHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "dbchaosHealthIndicator")
	public DbChaosHealthIndicator dbchaosHealthIndicator(FaultRegistry registry) {
		return new DbChaosHealthIndicator(registry);
	}

}
