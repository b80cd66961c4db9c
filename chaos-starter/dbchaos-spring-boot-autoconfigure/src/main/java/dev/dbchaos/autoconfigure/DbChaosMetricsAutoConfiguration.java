package dev.dbchaos.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.dbchaos.actuate.DbChaosMetrics;
import dev.dbchaos.fault.FaultRegistry;

/**
 * Auto-configuration for the Micrometer metrics of dbchaos. The binder is picked up by
 * every {@link MeterRegistry} the application has.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DbChaosAutoConfiguration.class,
		afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(FaultRegistry.class)
public class DbChaosMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public DbChaosMetrics dbChaosMetrics(FaultRegistry registry) {
		return new DbChaosMetrics(registry);
	}

}
