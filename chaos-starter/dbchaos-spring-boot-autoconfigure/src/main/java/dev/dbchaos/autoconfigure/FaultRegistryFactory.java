package dev.dbchaos.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.InvalidFaultException;
import dev.dbchaos.fault.LoggingFaultListener;

/**
 * Creates the {@link FaultRegistry} from {@link DbChaosProperties}, turning every invalid value
 * into an {@link InvalidDbChaosPropertyException} that names the property.
 *
 * @author dbchaos
 */
final class FaultRegistryFactory {

	private static final Log logger = LogFactory.getLog(FaultRegistryFactory.class);

	private FaultRegistryFactory() {
	}

	static FaultRegistry create(DbChaosProperties properties) {
		Duration max = positive("dbchaos.max-duration", properties.getMaxDuration());
		Duration defaultDuration = positive("dbchaos.default-duration", properties.getDefaultDuration());
		if (defaultDuration.compareTo(max) > 0) {
			throw new InvalidDbChaosPropertyException("dbchaos.default-duration", defaultDuration,
					"must not exceed dbchaos.max-duration (" + max + ")");
		}
		long seed = (properties.getRandomSeed() != null) ? properties.getRandomSeed()
				: ThreadLocalRandom.current().nextLong();
		logger.info("dbchaos is enabled; random seed " + seed + " (set dbchaos.random-seed=" + seed
				+ " to replay this run's probabilities)");
		FaultRegistry registry = new FaultRegistry(defaultDuration, max, Clock.systemUTC(), new Random(seed));
		registry.addListener(new LoggingFaultListener());
		try {
			addConfiguredFaults(registry, properties.getFaults());
		}
		catch (RuntimeException ex) {
			registry.close();
			throw ex;
		}
		return registry;
	}

	private static void addConfiguredFaults(FaultRegistry registry, List<DbChaosProperties.Fault> faults) {
		for (int i = 0; i < faults.size(); i++) {
			DbChaosProperties.Fault fault = faults.get(i);
			try {
				registry.add(toSpec(fault));
			}
			catch (InvalidFaultException ex) {
				String field = ex.getField();
				throw new InvalidDbChaosPropertyException("dbchaos.faults[" + i + "]." + kebab(field),
						valueOf(fault, field), ex.getReason());
			}
		}
	}

	static FaultSpec toSpec(DbChaosProperties.Fault fault) {
		return FaultSpec.builder(fault.getType())
			.operation(fault.getOperation())
			.sql(fault.getSql())
			.dataSource(fault.getDataSource())
			.probability(fault.getProbability())
			.count(fault.getCount())
			.duration(fault.getDuration())
			.scope(fault.getScope())
			.id(fault.getId())
			.delay(fault.getDelay())
			.jitter(fault.getJitter())
			.sqlState(fault.getSqlState())
			.message(fault.getMessage())
			.build();
	}

	private static Object valueOf(DbChaosProperties.Fault fault, String field) {
		return switch (field) {
			case "type" -> fault.getType();
			case "operation" -> fault.getOperation();
			case "sql" -> fault.getSql();
			case "dataSource" -> fault.getDataSource();
			case "probability" -> fault.getProbability();
			case "count" -> fault.getCount();
			case "duration" -> fault.getDuration();
			case "scope" -> fault.getScope();
			case "id" -> fault.getId();
			case "delay" -> fault.getDelay();
			case "jitter" -> fault.getJitter();
			case "sqlState" -> fault.getSqlState();
			case "message" -> fault.getMessage();
			default -> null;
		};
	}

	private static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidDbChaosPropertyException(property, value, "must be a positive duration");
		}
		return value;
	}

	private static String kebab(String field) {
		return field.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

}
