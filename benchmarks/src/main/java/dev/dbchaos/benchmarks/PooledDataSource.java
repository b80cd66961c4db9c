package dev.dbchaos.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.Random;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.jdbc.ChaosDataSource;

/**
 * A HikariCP pool over one {@link Variant}, laid out as the starter lays it out: the
 * variant's wrapper is the pool's {@code dataSource}, beneath the pool, over the driver.
 */
public final class PooledDataSource implements AutoCloseable {

	/**
	 * How many rules come and go in every pool's registry before its variant wraps the
	 * driver (see {@link Variant#addAndRemoveRules}): system property
	 * {@code dbchaos.bench.ruleHistory}, 1,000 unless set; 0 shows what the JIT makes of
	 * forks with different histories.
	 */
	static final int RULE_HISTORY = Integer.getInteger("dbchaos.bench.ruleHistory", 1000);

	private final FaultRegistry registry;

	private final DataSource unpooled;

	private final HikariDataSource pool;

	/**
	 * Create and fill a pool.
	 * @param variant what sits between the pool and the driver
	 * @param jdbcUrl the URL
	 * @param driverClassName the driver class
	 * @param username the user, may be {@code null}
	 * @param password the password, may be {@code null}
	 * @param poolSize the number of connections, all opened up front
	 */
	public PooledDataSource(Variant variant, String jdbcUrl, String driverClassName, String username, String password,
			int poolSize) {
		// Seeded so that probability rolls, if any, are the same in every run.
		this.registry = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1), Clock.systemUTC(),
				new Random(42));
		Variant.addAndRemoveRules(this.registry, RULE_HISTORY);
		DataSource driver = new DriverDataSource(jdbcUrl, driverClassName, new Properties(), username, password);
		this.unpooled = variant.wrap(driver, this.registry, jdbcUrl);
		HikariConfig config = new HikariConfig();
		config.setPoolName("bench-" + variant.id());
		config.setDataSource(this.unpooled);
		config.setMaximumPoolSize(poolSize);
		config.setMinimumIdle(poolSize);
		// The default jdbc4 validation is what the pool runs on a connection idle for
		// over 500 ms.
		this.pool = new HikariDataSource(config);
	}

	/**
	 * Return the registry dbchaos variants consult.
	 * @return the registry
	 */
	public FaultRegistry getRegistry() {
		return this.registry;
	}

	/**
	 * Return the pool.
	 * @return the pool
	 */
	public DataSource getPool() {
		return this.pool;
	}

	/**
	 * Return the variant's data source without the pool: what the pool opens physical
	 * connections through.
	 * @return the unpooled data source
	 */
	public DataSource getUnpooled() {
		return this.unpooled;
	}

	/**
	 * Borrow a connection from the pool.
	 * @return the connection
	 * @throws SQLException if none can be had
	 */
	public Connection getConnection() throws SQLException {
		return this.pool.getConnection();
	}

	@Override
	public void close() {
		this.pool.close();
		// After the pool that uses it, as ChaosDataSource asks.
		if (this.unpooled instanceof ChaosDataSource chaos) {
			chaos.close();
		}
		this.registry.close();
	}

}
