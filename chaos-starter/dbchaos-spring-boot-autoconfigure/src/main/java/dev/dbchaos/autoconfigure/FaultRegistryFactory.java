package dev.dbchaos.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.LoggingFaultListener;

/**
 * Creates the {@link FaultRegistry} from {@link DbChaosProperties}, with the faults
 * {@link DeclaredFaults declared} in {@code dbchaos.faults}, turning every invalid value
 * into Spring Boot's {@link InvalidConfigurationPropertyValueException}, whose start-up
 * failure report names the property, its value, the reason and where it was set, and
 * every unknown key under {@code dbchaos.faults[n]} into Spring Boot's report of unbound
 * properties.
 */
final class FaultRegistryFactory {

	private static final Log logger = LogFactory.getLog(FaultRegistryFactory.class);

	private FaultRegistryFactory() {
	}

	static FaultRegistry create(DbChaosProperties properties, Environment environment, DeclaredFaults declared) {
		Duration max = positive("dbchaos.max-duration", properties.getMaxDuration(), environment);
		Duration defaultDuration = positive("dbchaos.default-duration", properties.getDefaultDuration(), environment);
		if (defaultDuration.compareTo(max) > 0) {
			throw invalid("dbchaos.default-duration", defaultDuration,
					"must not exceed dbchaos.max-duration (" + max + ")", environment);
		}
		long seed = (properties.getRandomSeed() != null) ? properties.getRandomSeed()
				: ThreadLocalRandom.current().nextLong();
		logger.info("dbchaos is enabled; random seed " + seed + " (set dbchaos.random-seed=" + seed
				+ " to replay this run's probabilities)");
		FaultRegistry registry = new FaultRegistry(defaultDuration, max, Clock.systemUTC(), new Random(seed));
		registry.addListener(new LoggingFaultListener());
		try {
			declared.addAtStartUp(registry, properties.getFaults(), false);
		}
		catch (RuntimeException ex) {
			registry.close();
			throw ex;
		}
		return registry;
	}

	private static Duration positive(String property, @Nullable Duration value, Environment environment) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(property, value, "must be a positive duration", environment);
		}
		return value;
	}

	static InvalidConfigurationPropertyValueException invalid(String property, @Nullable Object bound, String reason,
			Environment environment) {
		return new InvalidConfigurationPropertyValueException(property, valueAsSet(property, bound, environment),
				reason);
	}

	/**
	 * Return the value as it was written ({@code 2h} rather than {@code PT2H}), from the
	 * property source that wins, or the bound value when no source has it.
	 * @param property the name of the property, such as
	 * {@code dbchaos.faults[0].duration}
	 * @param bound the value the property was bound to
	 * @param environment the environment whose property sources are searched
	 * @return the value as written in the winning property source, or {@code bound}
	 */
	private static @Nullable Object valueAsSet(String property, @Nullable Object bound, Environment environment) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			ConfigurationProperty candidate = source.getConfigurationProperty(name);
			if (candidate != null) {
				return candidate.getValue();
			}
		}
		return bound;
	}

}
