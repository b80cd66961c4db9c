package dev.dbchaos.autoconfigure;

import java.util.function.IntSupplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.jdbc.PoolCallDetector;

/**
 * Puts a {@link ChaosDataSource} beneath a HikariCP pool, between the pool and the
 * driver, so that faults hit the physical connections and the pool's own validation,
 * eviction and reconnection run as they would in a real outage. Only loaded when HikariCP
 * is present.
 */
final class HikariChaosInstaller {

	private static final Log logger = LogFactory.getLog(HikariChaosInstaller.class);

	/**
	 * HikariCP validates and keeps connections alive from its {@code PoolBase}, on
	 * whichever thread borrows; the application's calls come through its
	 * {@code ProxyConnection}.
	 */
	private static final PoolCallDetector HIKARI_OWN_CALLS = PoolCallDetector
		.byCallerClass("com.zaxxer.hikari.pool.PoolBase");

	private HikariChaosInstaller() {
	}

	static boolean isInstalled(DataSource dataSource) {
		return dataSource instanceof HikariDataSource hikari && hikari.getDataSource() instanceof ChaosDataSource;
	}

	/**
	 * Return how many connections the pool holds at most, as pool-exhaustion faults need
	 * to know.
	 * @param dataSource the data source bean
	 * @return its {@code maximumPoolSize}, read anew each time, or {@code null} if it is
	 * not a HikariCP pool
	 */
	static @Nullable IntSupplier maximumPoolSizeOf(DataSource dataSource) {
		return (dataSource instanceof HikariDataSource hikari) ? hikari::getMaximumPoolSize : null;
	}

	/**
	 * Install the fault-injecting data source beneath the pool. It is not registered with
	 * the registry: the caller registers it once it is in place, so that a pool that
	 * refuses it leaves nothing behind.
	 * @param dataSource the data source bean
	 * @param registry the rules in force
	 * @param name the bean name
	 * @return the data source installed beneath the pool, not registered yet, or
	 * {@code null} if none could be installed, when the data source must be wrapped as a
	 * whole
	 */
	static @Nullable ChaosDataSource installBeneath(DataSource dataSource, FaultRegistry registry, String name) {
		if (!(dataSource instanceof HikariDataSource hikari)) {
			return null;
		}
		if (hikari.isRunning() || hikari.isClosed()) {
			logger.info("HikariCP pool '" + name + "' is already started; dbchaos wraps it as a whole");
			return null;
		}
		String jdbcUrl = hikari.getJdbcUrl();
		DataSource physical = hikari.getDataSource();
		if (physical == null) {
			if (jdbcUrl == null) {
				// Configured by dataSourceClassName or JNDI, which only the pool knows
				// how to build.
				logger.info("HikariCP pool '" + name + "' has no jdbcUrl; dbchaos wraps it as a whole");
				return null;
			}
			physical = new DriverDataSource(jdbcUrl, hikari.getDriverClassName(), hikari.getDataSourceProperties(),
					hikari.getUsername(), hikari.getPassword());
		}
		ChaosDataSource chaos = new ChaosDataSource(physical, registry, name, jdbcUrl, hikari.getDataSourceProperties())
			.detectPoolCalls(HIKARI_OWN_CALLS);
		try {
			hikari.setDataSource(chaos);
			return chaos;
		}
		catch (IllegalStateException ex) {
			// The configuration was sealed by a start we did not see (a suspended pool,
			// say).
			chaos.close();
			logger.info("HikariCP pool '" + name + "' is sealed; dbchaos wraps it as a whole");
			return null;
		}
	}

}
