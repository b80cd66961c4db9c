package dev.dbchaos.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.fault.FaultRegistry;

/**
 * The pools a fidelity test runs its scenarios through, built as the starter builds them:
 * dbchaos beneath HikariCP, above the driver. With no rule dbchaos passes real failures
 * through untouched, so the real and the injected runs share every layer.
 */
final class FidelityPools implements AutoCloseable {

	private final FaultRegistry registry;

	private final String username;

	private final String password;

	private final Consumer<HikariConfig> driverSettings;

	private final List<HikariDataSource> pools = new ArrayList<>();

	/**
	 * Create the pools of one test.
	 * @param registry the rules the pools' dbchaos takes its faults from
	 * @param username the database user
	 * @param password its password
	 * @param driverSettings what every pool of the test sets for its driver, such as the
	 * socket timeout
	 */
	FidelityPools(FaultRegistry registry, String username, String password, Consumer<HikariConfig> driverSettings) {
		this.registry = registry;
		this.username = username;
		this.password = password;
		this.driverSettings = driverSettings;
	}

	HikariDataSource started(String jdbcUrl) {
		return started(jdbcUrl, (config) -> {
		});
	}

	/**
	 * Start a pool on a healthy server: a pool that cannot start fails differently from
	 * one that loses its database, which is the case under test.
	 * @param jdbcUrl the URL
	 * @param customizer what the scenario sets on top of the test's settings
	 * @return the started pool, closed with the others
	 */
	HikariDataSource started(String jdbcUrl, Consumer<HikariConfig> customizer) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("dataSource");
		config.setJdbcUrl(jdbcUrl);
		config.setUsername(this.username);
		config.setPassword(this.password);
		// Short, so that the outage scenarios take a second rather than Hikari's default
		// 30.
		config.setConnectionTimeout(1000);
		config.setValidationTimeout(500);
		config.setMaximumPoolSize(2);
		config.setMinimumIdle(0);
		this.driverSettings.accept(config);
		customizer.accept(config);
		Properties properties = config.getDataSourceProperties();
		config.setDataSource(new ChaosDataSource(new DriverDataSource(jdbcUrl, config.getDriverClassName(), properties,
				config.getUsername(), config.getPassword()), this.registry, "dataSource", jdbcUrl, properties)
			.register());
		HikariDataSource pool = new HikariDataSource(config);
		this.pools.add(pool);
		new JdbcTemplate(pool).queryForObject("select 1", Integer.class);
		return pool;
	}

	/**
	 * Clear the rules and close every pool.
	 */
	@Override
	public void close() {
		this.registry.clear();
		this.pools.forEach(HikariDataSource::close);
		this.pools.clear();
		this.registry.close();
	}

}
