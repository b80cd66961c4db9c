package dev.dbchaos.autoconfigure;

import jakarta.servlet.Filter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.resilience4j.ScopedResilience4jPostProcessor;
import dev.dbchaos.task.DbChaosTaskDecorator;
import dev.dbchaos.web.DbChaosScopeFilter;

/**
 * Auto-configuration for dbchaos: the {@link FaultRegistry}, the post-processor that
 * makes every {@code DataSource} bean fault-injecting, and the filter that binds requests
 * to a scope. Off unless {@code dbchaos.enabled=true}.
 * <p>
 * Shared by both starters. Spring Boot 4 moved {@code DataSourceAutoConfiguration} to
 * another package, so it is named in both places: the one the running generation lacks is
 * ignored.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
@ConditionalOnClass(javax.sql.DataSource.class)
@ConditionalOnBooleanProperty("dbchaos.enabled")
@EnableConfigurationProperties(DbChaosProperties.class)
public class DbChaosAutoConfiguration {

	private static final Log logger = LogFactory.getLog(DbChaosAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	public FaultRegistry dbChaosFaultRegistry(DbChaosProperties properties, Environment environment,
			DeclaredFaults declaredFaults) {
		return FaultRegistryFactory.create(properties, environment, declaredFaults);
	}

	/**
	 * The faults declared in {@code dbchaos.faults} and the rules they became, so that a
	 * change of the Environment at run time can be followed (see
	 * {@link DeclaredFaults#refresh(FaultRegistry)}).
	 * @param environment the environment the faults are bound from
	 * @return the declared faults
	 */
	@Bean
	DeclaredFaults dbChaosDeclaredFaults(Environment environment) {
		return new DeclaredFaults(environment);
	}

	@Bean
	FaultRegistryShutdown dbChaosFaultRegistryShutdown(FaultRegistry registry) {
		return new FaultRegistryShutdown(registry);
	}

	/**
	 * Adds the held faults of {@code dbchaos.faults} once every data source bean, and so
	 * every holder of locks and pool connections, is in place.
	 * @param registry the registry
	 * @param properties the properties
	 * @param declaredFaults the declared faults
	 * @return the callback
	 */
	@Bean
	SmartInitializingSingleton dbChaosConfiguredHeldFaults(FaultRegistry registry, DbChaosProperties properties,
			DeclaredFaults declaredFaults) {
		return () -> declaredFaults.addAtStartUp(registry, properties.getFaults(), true);
	}

	@Bean
	public static DbChaosDataSourcePostProcessor dbChaosDataSourcePostProcessor(ObjectProvider<FaultRegistry> registry,
			ObjectProvider<DbChaosProperties> properties) {
		return new DbChaosDataSourcePostProcessor(registry, properties);
	}

	/**
	 * Gives each scope its own Resilience4j circuit breakers, retries and bulkheads, when
	 * Resilience4j is present and {@code dbchaos.scope.isolate-resilience4j} is set.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.github.resilience4j.core.Registry")
	@ConditionalOnBooleanProperty("dbchaos.scope.isolate-resilience4j")
	static class ScopedResilience4jConfiguration {

		@Bean
		static ScopedResilience4jPostProcessor dbChaosScopedResilience4jPostProcessor() {
			return new ScopedResilience4jPostProcessor();
		}

	}

	/**
	 * Carries the submitting thread's scope into executor tasks and {@code @Async}
	 * methods, and warns when an application's own task decorator keeps it out.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(TaskDecorator.class)
	static class TaskDecoratorConfiguration {

		/**
		 * Spring Boot applies a task decorator to its executors and schedulers only when
		 * it is the only one; an application with its own should compose this one into it
		 * ({@code CompositeTaskDecorator}).
		 * @return the decorator that runs each task in the scope it was submitted in
		 */
		@Bean
		@ConditionalOnMissingBean(TaskDecorator.class)
		DbChaosTaskDecorator dbChaosTaskDecorator() {
			return new DbChaosTaskDecorator();
		}

		@Bean
		static SmartInitializingSingleton dbChaosTaskDecoratorCheck(ObjectProvider<TaskDecorator> decorators) {
			return () -> {
				if (decorators.stream().noneMatch(DbChaosTaskDecorator.class::isInstance)) {
					logger.warn("The application defines its own TaskDecorator, so dbchaos scopes are not carried into "
							+ "@Async methods and executor tasks; compose a DbChaosTaskDecorator into it "
							+ "(CompositeTaskDecorator) to carry them");
				}
			};
		}

	}

	/**
	 * Registers the filter that binds servlet requests carrying the scope header to their
	 * scope.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ Filter.class, FilterRegistrationBean.class })
	static class ScopeFilterConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "dbChaosScopeFilter")
		FilterRegistrationBean<DbChaosScopeFilter> dbChaosScopeFilter(DbChaosProperties properties) {
			FilterRegistrationBean<DbChaosScopeFilter> registration = new FilterRegistrationBean<>(
					new DbChaosScopeFilter(properties.getScope().getHeaderName()));
			// First of all filters, so that the database calls of every other filter
			// (security's
			// user lookup, say) run in the request's scope too.
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

}
