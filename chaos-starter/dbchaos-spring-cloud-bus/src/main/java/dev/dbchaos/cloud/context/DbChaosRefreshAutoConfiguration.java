package dev.dbchaos.cloud.context;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.annotation.Bean;

import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.autoconfigure.DeclaredFaults;
import dev.dbchaos.fault.FaultRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} that makes the faults declared in {@code dbchaos.faults} follow the
 * Environment when Spring Cloud changes it at run time. Needs Spring Cloud Context, not
 * the bus: {@code /actuator/refresh} and Spring Cloud Config are followed too.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DbChaosAutoConfiguration.class)
@ConditionalOnClass(EnvironmentChangeEvent.class)
@ConditionalOnBean({ DeclaredFaults.class, FaultRegistry.class })
public class DbChaosRefreshAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public DeclaredFaultsRefresher dbChaosDeclaredFaultsRefresher(DeclaredFaults declaredFaults,
			FaultRegistry registry) {
		return new DeclaredFaultsRefresher(declaredFaults, registry);
	}

}
