package dev.dbchaos.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.InvalidFaultException;
import dev.dbchaos.fault.LoggingFaultListener;

/**
 * Creates the {@link FaultRegistry} from {@link DbChaosProperties}, turning every invalid
 * value into Spring Boot's {@link InvalidConfigurationPropertyValueException}, whose
 * start-up failure report names the property, its value, the reason and where it was set,
 * and every unknown key under {@code dbchaos.faults[n]} into Spring Boot's report of
 * unbound properties.
 */
final class FaultRegistryFactory {

	private static final Log logger = LogFactory.getLog(FaultRegistryFactory.class);

	private FaultRegistryFactory() {
	}

	static FaultRegistry create(DbChaosProperties properties, Environment environment) {
		checkNoUnknownFaultKeys(environment);
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
			addConfiguredFaults(registry, properties.getFaults(), environment, false);
		}
		catch (RuntimeException ex) {
			registry.close();
			throw ex;
		}
		return registry;
	}

	/**
	 * Fail, with Spring Boot's report of unbound properties, when a key under
	 * {@code dbchaos.faults[n]} is not a field of a fault: a misspelt {@code scope} would
	 * otherwise make a fault meant for one scope break every request. This binds the
	 * faults once more the way {@code ignoreUnknownFields = false} would; that cannot be
	 * set on {@link DbChaosProperties} itself, since other keys under {@code dbchaos.}
	 * (such as a test suite's own settings) are not dbchaos's to refuse.
	 * @param environment the environment the {@code dbchaos.faults} properties are bound
	 * from
	 */
	private static void checkNoUnknownFaultKeys(Environment environment) {
		Binder.get(environment)
			.bind("dbchaos.faults", Bindable.listOf(DbChaosProperties.Fault.class),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
	}

	/**
	 * Add the configured held faults ({@code lock}, {@code pool-exhaustion}), which need
	 * the data sources that hold them: called once every data source bean is in place.
	 * @param registry the registry
	 * @param properties the properties
	 * @param environment the environment the faults were bound from
	 */
	static void addConfiguredHeldFaults(FaultRegistry registry, DbChaosProperties properties, Environment environment) {
		addConfiguredFaults(registry, properties.getFaults(), environment, true);
	}

	private static void addConfiguredFaults(FaultRegistry registry, List<DbChaosProperties.Fault> faults,
			Environment environment, boolean held) {
		for (int i = 0; i < faults.size(); i++) {
			DbChaosProperties.Fault fault = faults.get(i);
			if ((fault.getType() != null && fault.getType().isHeld()) != held) {
				continue;
			}
			try {
				registry.add(toSpec(fault));
			}
			catch (InvalidFaultException ex) {
				String field = ex.getField();
				String property = FaultField.named(field).map(FaultField::propertyName).orElse(field);
				throw invalid("dbchaos.faults[" + i + "]." + property, valueOf(fault, field), ex.getReason(),
						environment);
			}
		}
	}

	/**
	 * Return the fault a configured one declares. Its bean properties are read by the
	 * names of the fields of a fault, so that nothing here is written once per field.
	 * @param fault the fault as bound from {@code dbchaos.faults[n]}
	 * @return the fault it declares
	 */
	static FaultSpec toSpec(DbChaosProperties.Fault fault) {
		BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(fault);
		return FaultSpec.of((field) -> properties.getPropertyValue(field.name()));
	}

	private static @Nullable Object valueOf(DbChaosProperties.Fault fault, String field) {
		BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(fault);
		return properties.isReadableProperty(field) ? properties.getPropertyValue(field) : null;
	}

	private static Duration positive(String property, @Nullable Duration value, Environment environment) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(property, value, "must be a positive duration", environment);
		}
		return value;
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, @Nullable Object bound,
			String reason, Environment environment) {
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
