package dev.dbchaos.autoconfigure;

import jakarta.servlet.Filter;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;

import dev.dbchaos.actuate.DbChaosEndpoint;
import dev.dbchaos.actuate.DbChaosEndpointBodyFilter;

/**
 * Registers the {@link DbChaosEndpointBodyFilter} wherever the actuator endpoints are
 * served: in the application's own context, or in the management context when
 * {@code management.server.port} puts them on a port of their own (a filter of the
 * application's context does not reach that port).
 * <p>
 * Its conditions read only the environment: when the actuator shares the application's
 * port, management context configurations are imported before the auto-configurations
 * whose beans a bean condition would look for.
 *
 * @since 0.1.0
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ Filter.class, FilterRegistrationBean.class, PathMappedEndpoints.class })
@ConditionalOnBooleanProperty("dbchaos.enabled")
@ConditionalOnAvailableEndpoint(DbChaosEndpoint.class)
public class DbChaosEndpointBodyFilterConfiguration {

	@Bean
	FilterRegistrationBean<DbChaosEndpointBodyFilter> dbChaosEndpointBodyFilter(
			ObjectProvider<PathMappedEndpoints> endpoints) {
		EndpointId id = EndpointId.of("dbchaos");
		// Resolved on the first request: the endpoints are not all discovered yet when
		// filters
		// are created, and in a management context they belong to the application's
		// context.
		SingletonSupplier<@Nullable String> path = SingletonSupplier.of(() -> {
			PathMappedEndpoints mapped = endpoints.getIfAvailable();
			return (mapped != null) ? mapped.getPath(id) : null;
		});
		FilterRegistrationBean<DbChaosEndpointBodyFilter> registration = new FilterRegistrationBean<>(
				new DbChaosEndpointBodyFilter(path));
		// After Spring Security's filters (order -100 by default), so that the body of a
		// request
		// that is turned away is never read, and late enough to leave other filters
		// alone.
		registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
		return registration;
	}

}
