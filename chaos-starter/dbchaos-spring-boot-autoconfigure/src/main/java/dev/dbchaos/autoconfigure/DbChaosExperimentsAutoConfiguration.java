package dev.dbchaos.autoconfigure;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ReflectionUtils;

import dev.dbchaos.actuate.DbChaosEndpoint;
import dev.dbchaos.actuate.ExperimentDefinitions;
import dev.dbchaos.actuate.ExperimentMetrics;
import dev.dbchaos.actuate.ExperimentOperations;
import dev.dbchaos.actuate.ExperimentRequest;
import dev.dbchaos.actuate.FleetStepFaults;
import dev.dbchaos.actuate.HealthCheck;
import dev.dbchaos.actuate.MeterCheck;
import dev.dbchaos.experiment.Check;
import dev.dbchaos.experiment.Experiments;
import dev.dbchaos.experiment.Scheduler;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * Game-day experiments at {@code /actuator/dbchaos/experiments}, when the endpoint is
 * there. Closing the context aborts the running experiments and removes their faults. The
 * experiments kept as files at {@code dbchaos.experiments.location} are read, and
 * checked, here: a broken file stops the application (see
 * {@link InvalidExperimentDefinitionFailureAnalyzer}).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DbChaosEndpointAutoConfiguration.class,
		afterName = { "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@ConditionalOnBean(DbChaosEndpoint.class)
public class DbChaosExperimentsAutoConfiguration {

	// The health endpoint of either Spring Boot generation (Spring Boot 4 moved it).
	private static final String[] HEALTH_ENDPOINTS = { "org.springframework.boot.actuate.health.HealthEndpoint",
			"org.springframework.boot.health.actuate.endpoint.HealthEndpoint" };

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	public Experiments dbChaosExperiments(FaultRegistry registry, DbChaosEndpoint endpoint) {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "dbchaos-experiments");
			thread.setDaemon(true);
			return thread;
		});
		// Checks are observed on threads of their own: a health check waiting out the
		// pool's connection timeout in an outage must not hold back steps or guards.
		AtomicInteger checks = new AtomicInteger();
		ExecutorService observers = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "dbchaos-experiment-check-" + checks.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		// A step's fault with "instances" goes to the fleet, as a posted one does.
		return new Experiments(registry, new FleetStepFaults(registry, endpoint::fleet, Clock.systemUTC()),
				Scheduler.of(executor, observers), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	public ExperimentOperations dbChaosExperimentOperations(Experiments experiments, DbChaosEndpoint endpoint,
			ObjectProvider<MeterRegistry> meters, ApplicationContext context, DbChaosProperties properties) {
		ExperimentDefinitions definitions = ExperimentDefinitions.load(context,
				properties.getExperiments().getLocation());
		ExperimentOperations operations = new ExperimentOperations(experiments,
				new SpringChecks(meters, healthStatuses(context)), definitions, endpoint.fleet());
		MeterRegistry registry = meters.getIfAvailable();
		if (registry != null) {
			ExperimentMetrics.bind(experiments, registry);
		}
		endpoint.setExperiments(operations);
		return operations;
	}

	private static Function<String, @Nullable String> healthStatuses(ApplicationContext context) {
		return (path) -> {
			for (String name : HEALTH_ENDPOINTS) {
				Object endpoint = healthEndpoint(context, name);
				if (endpoint != null) {
					Method method = ReflectionUtils.findMethod(endpoint.getClass(), "healthForPath", String[].class);
					Object health = (method != null)
							? ReflectionUtils.invokeMethod(method, endpoint, (Object) path.split("/")) : null;
					return (health != null) ? statusOf(health) : null;
				}
			}
			return null;
		};
	}

	private static @Nullable Object healthEndpoint(ApplicationContext context, String className) {
		try {
			Class<?> type = Class.forName(className, false, DbChaosExperimentsAutoConfiguration.class.getClassLoader());
			return context.getBeanProvider(type).getIfAvailable();
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

	private static @Nullable String statusOf(Object health) {
		Method getStatus = ReflectionUtils.findMethod(health.getClass(), "getStatus");
		Object status = (getStatus != null) ? ReflectionUtils.invokeMethod(getStatus, health) : null;
		Method getCode = (status != null) ? ReflectionUtils.findMethod(status.getClass(), "getCode") : null;
		return (getCode != null) ? String.valueOf(ReflectionUtils.invokeMethod(getCode, status)) : null;
	}

	private record SpringChecks(ObjectProvider<MeterRegistry> meters,
			Function<String, @Nullable String> statuses) implements ExperimentRequest.Checks {

		@Override
		public Check health(String field, String health, String status) {
			return new HealthCheck(this.statuses, field, health, status);
		}

		@Override
		public Check meter(String field, String meter, Map<String, String> tags, double max, Duration window) {
			MeterRegistry registry = this.meters.getIfAvailable();
			if (registry == null) {
				throw new InvalidFaultException(field, "there is no Micrometer meter registry to read meters from");
			}
			return new MeterCheck(registry, field, meter, tags, max, window, Clock.systemUTC());
		}

	}

}
