package dev.dbchaos.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.jdbc.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;

/**
 * The Spring Boot 3 auto-configurations the shared starter tests ({@code starter-tests/})
 * run with: Spring Boot 4 moved them, so each starter names its own generation's.
 */
public final class BootAutoConfigurations {

	public static final Class<?> DATA_SOURCE = DataSourceAutoConfiguration.class;

	public static final Class<?> METRICS = MetricsAutoConfiguration.class;

	public static final Class<?> SIMPLE_METRICS_EXPORT = SimpleMetricsExportAutoConfiguration.class;

	public static final Class<?> DATA_SOURCE_POOL_METRICS = DataSourcePoolMetricsAutoConfiguration.class;

	private BootAutoConfigurations() {
	}

}
