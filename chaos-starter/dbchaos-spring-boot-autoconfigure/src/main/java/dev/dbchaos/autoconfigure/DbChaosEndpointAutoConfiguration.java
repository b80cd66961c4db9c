package dev.dbchaos.autoconfigure;

import dev.dbchaos.actuate.DbChaosEndpoint;
import dev.dbchaos.actuate.DbChaosEndpointWebExtension;
import dev.dbchaos.fault.FaultRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for the {@link DbChaosEndpoint}.
 *
 * @author dbchaos
 */
@AutoConfiguration(after = DbChaosAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(FaultRegistry.class)
@ConditionalOnAvailableEndpoint(DbChaosEndpoint.class)
public class DbChaosEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	public DbChaosEndpoint dbChaosEndpoint(FaultRegistry registry) {
		return new DbChaosEndpoint(registry);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebEndpointResponse.class)
	static class WebExtensionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DbChaosEndpointWebExtension dbChaosEndpointWebExtension(DbChaosEndpoint endpoint,
				ApplicationEventPublisher events) {
			return new DbChaosEndpointWebExtension(endpoint, events);
		}

	}

}
