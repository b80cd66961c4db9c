package dev.dbchaos.autoconfigure;

import jakarta.servlet.Filter;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.web.DbChaosScopeFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Auto-configuration for dbchaos: the {@link FaultRegistry}, the
 * post-processor that makes every {@code DataSource} bean fault-injecting, and the filter that
 * binds requests to a scope. Off unless {@code dbchaos.enabled=true}.
 *
 * @author dbchaos
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(javax.sql.DataSource.class)
@ConditionalOnBooleanProperty("dbchaos.enabled")
@EnableConfigurationProperties(DbChaosProperties.class)
public class DbChaosAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	public FaultRegistry dbChaosFaultRegistry(DbChaosProperties properties) {
		return FaultRegistryFactory.create(properties);
	}

	@Bean
	public static DbChaosDataSourcePostProcessor dbChaosDataSourcePostProcessor(ObjectProvider<FaultRegistry> registry,
			ObjectProvider<DbChaosProperties> properties) {
		return new DbChaosDataSourcePostProcessor(registry, properties);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ Filter.class, FilterRegistrationBean.class })
	static class ScopeFilterConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "dbChaosScopeFilter")
		FilterRegistrationBean<DbChaosScopeFilter> dbChaosScopeFilter(DbChaosProperties properties) {
			FilterRegistrationBean<DbChaosScopeFilter> registration = new FilterRegistrationBean<>(
					new DbChaosScopeFilter(properties.getScope().getHeaderName()));
			// First of all filters, so that the database calls of every other filter (security's
			// user lookup, say) run in the request's scope too.
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

}
