package dev.dbchaos.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.dbchaos.actuate.DbChaosEndpoint;
import dev.dbchaos.actuate.DbChaosEndpoint.DataSourceDescriptor;
import dev.dbchaos.actuate.DbChaosEndpointWebExtension;
import dev.dbchaos.actuate.FleetFaults;
import dev.dbchaos.fault.FaultRegistry;

/**
 * Auto-configuration for the {@link DbChaosEndpoint}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DbChaosAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(FaultRegistry.class)
@ConditionalOnAvailableEndpoint(DbChaosEndpoint.class)
public class DbChaosEndpointAutoConfiguration {

	private static final Log logger = LogFactory.getLog("dev.dbchaos");

	@Bean
	@ConditionalOnMissingBean
	public DbChaosEndpoint dbChaosEndpoint(FaultRegistry registry,
			ObjectProvider<EndpointAccessResolver> accessResolver, Environment environment,
			ObjectProvider<DbChaosProperties> properties,
			ObjectProvider<DbChaosDataSourcePostProcessor> dataSourcePostProcessor, ObjectProvider<FleetFaults> fleet) {
		// Spring Boot's own resolver, so that management.endpoints.access.default and
		// max-permitted count as they do for the endpoint's mappings.
		Access access = accessResolver.getIfAvailable(() -> new PropertiesEndpointAccessResolver(environment))
			.accessFor(EndpointId.of("dbchaos"), Access.READ_ONLY);
		DbChaosDataSourcePostProcessor placements = dataSourcePostProcessor.getIfAvailable();
		DbChaosEndpoint endpoint = new DbChaosEndpoint(registry, access, (placements != null)
				? (name) -> describe(name, placements.placementOf(name)) : DataSourceDescriptor::named,
				fleet.getIfAvailable(() -> FleetFaults.NONE));
		logAccess(endpoint, properties.getIfAvailable(DbChaosProperties::new));
		return endpoint;
	}

	private static DataSourceDescriptor describe(String name, @Nullable ProxyPlacement placement) {
		return (placement != null) ? new DataSourceDescriptor(name, placement.pool(), placement.proxy())
				: DataSourceDescriptor.named(name);
	}

	/**
	 * Say once, at start-up, whether faults can be changed through the endpoint: an
	 * operator whose POST answers 405 should not have to guess why.
	 * @param endpoint the endpoint whose access is reported
	 * @param properties the dbchaos properties, for whether anonymous writes are allowed
	 */
	private static void logAccess(DbChaosEndpoint endpoint, DbChaosProperties properties) {
		if (!endpoint.isWritable()) {
			logger.info("dbchaos endpoint is read-only: faults can be listed but not added or removed; set "
					+ DbChaosEndpoint.ALLOW_WRITES + " to allow it");
		}
		else if (properties.getEndpoint().isAllowAnonymousWrites()) {
			logger.info("dbchaos endpoint is writable (" + DbChaosEndpoint.ALLOW_WRITES + "), by anyone: "
					+ DbChaosEndpointWebExtension.ALLOW_ANONYMOUS_WRITES + " lets callers that are not authenticated "
					+ "add and remove faults");
		}
		else {
			logger.info("dbchaos endpoint is writable (" + DbChaosEndpoint.ALLOW_WRITES
					+ ") by authenticated callers; anonymous writes are refused unless "
					+ DbChaosEndpointWebExtension.ALLOW_ANONYMOUS_WRITES);
		}
	}

	/**
	 * Adds the endpoint's web extension, for its HTTP status codes and audit trail, when
	 * actuator's web endpoint support is present.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebEndpointResponse.class)
	static class WebExtensionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DbChaosEndpointWebExtension dbChaosEndpointWebExtension(DbChaosEndpoint endpoint,
				ApplicationEventPublisher events, ObjectProvider<DbChaosProperties> properties) {
			return new DbChaosEndpointWebExtension(endpoint, events,
					properties.getIfAvailable(DbChaosProperties::new).getEndpoint().isAllowAnonymousWrites());
		}

	}

}
