package dev.dbchaos.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.jdbc.ChaosDataSource;

/**
 * Puts a {@link ChaosDataSource} beneath a HikariCP pool, between the pool and the driver, so
 * that faults hit the physical connections and the pool's own validation, eviction and
 * reconnection run as they would in a real outage. Only loaded when HikariCP is present.
 *
 * @author dbchaos
 */
final class HikariChaosInstaller {

	private static final Log logger = LogFactory.getLog(HikariChaosInstaller.class);

	private HikariChaosInstaller() {
	}

	static boolean isInstalled(DataSource dataSource) {
		return dataSource instanceof HikariDataSource hikari && hikari.getDataSource() instanceof ChaosDataSource;
	}

	/**
	 * Install the fault-injecting data source beneath the pool.
	 * @param dataSource the data source bean
	 * @param registry the rules in force
	 * @param name the bean name
	 * @return whether it could be installed; if not, the data source must be wrapped as a
	 * whole
	 */
	static boolean installBeneath(DataSource dataSource, FaultRegistry registry, String name) {
		if (!(dataSource instanceof HikariDataSource hikari)) {
			return false;
		}
		if (hikari.isRunning() || hikari.isClosed()) {
			logger.info("HikariCP pool '" + name + "' is already started; dbchaos wraps it as a whole");
			return false;
		}
		String jdbcUrl = hikari.getJdbcUrl();
		DataSource physical = hikari.getDataSource();
		if (physical == null) {
			if (jdbcUrl == null) {
				// Configured by dataSourceClassName or JNDI, which only the pool knows how to build.
				logger.info("HikariCP pool '" + name + "' has no jdbcUrl; dbchaos wraps it as a whole");
				return false;
			}
			physical = new DriverDataSource(jdbcUrl, hikari.getDriverClassName(), hikari.getDataSourceProperties(),
					hikari.getUsername(), hikari.getPassword());
		}
		try {
			hikari.setDataSource(
					new ChaosDataSource(physical, registry, name, jdbcUrl, hikari.getDataSourceProperties()));
			return true;
		}
		catch (IllegalStateException ex) {
			// The configuration was sealed by a start we did not see.
			logger.info("HikariCP pool '" + name + "' is sealed; dbchaos wraps it as a whole");
			return false;
		}
	}

}
