package dev.dbchaos.autoconfigure;

import java.sql.Driver;
import java.util.function.IntSupplier;

import javax.sql.DataSource;
import javax.sql.XADataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.apache.tomcat.jdbc.pool.PoolConfiguration;
import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.jdbc.PoolCallDetector;

/**
 * Puts a {@link ChaosDataSource} beneath a Tomcat JDBC pool, as the pool's
 * {@code dataSource} ({@link PoolConfiguration#setDataSource(Object)}, the pool's own
 * hook for a data source that opens its physical connections), so that faults hit the
 * physical connections and the pool's own validation and reconnection run as they would
 * in a real outage. Only loaded when Tomcat JDBC is present.
 */
final class TomcatJdbcChaosInstaller {

	private static final Log logger = LogFactory.getLog(TomcatJdbcChaosInstaller.class);

	/**
	 * Tomcat JDBC connects, validates and closes physical connections from its
	 * {@code PooledConnection}; the application's calls come through the pool's
	 * {@code ProxyConnection} instead.
	 */
	private static final PoolCallDetector TOMCAT_OWN_CALLS = PoolCallDetector
		.byCallerClass("org.apache.tomcat.jdbc.pool.PooledConnection");

	private TomcatJdbcChaosInstaller() {
	}

	static boolean isInstalled(DataSource dataSource) {
		return dataSource instanceof DataSourceProxy tomcat
				&& tomcat.getPoolProperties().getDataSource() instanceof ChaosDataSource;
	}

	/**
	 * Return how many connections the pool holds at most, as pool-exhaustion faults need
	 * to know.
	 * @param dataSource the data source bean
	 * @return its {@code maxActive}, read anew each time, or {@code null} if it is not a
	 * Tomcat JDBC pool
	 */
	static @Nullable IntSupplier maximumPoolSizeOf(DataSource dataSource) {
		return (dataSource instanceof DataSourceProxy tomcat) ? tomcat::getMaxActive : null;
	}

	/**
	 * Install the fault-injecting data source beneath the pool. It is not registered with
	 * the registry: the caller registers it once it is in place.
	 * @param dataSource the data source bean
	 * @param registry the rules in force
	 * @param name the bean name
	 * @return the data source installed beneath the pool, not registered yet, or
	 * {@code null} if none could be installed, when the data source must be wrapped as a
	 * whole
	 */
	static @Nullable ChaosDataSource installBeneath(DataSource dataSource, FaultRegistry registry, String name) {
		if (!(dataSource instanceof DataSourceProxy tomcat)) {
			return null;
		}
		// getPoolSize() reads the pool without creating it, as getPool() would. A pool
		// created with no connection yet opens every connection through the data source
		// set now.
		if (tomcat.getPoolSize() > 0) {
			logger.info("Tomcat JDBC pool '" + name + "' has connections open already, opened without dbchaos; "
					+ "dbchaos wraps it as a whole");
			return null;
		}
		PoolConfiguration config = tomcat.getPoolProperties();
		DataSource physical = physicalDataSource(config, name);
		if (physical == null) {
			return null;
		}
		ChaosDataSource chaos = new ChaosDataSource(physical, registry, name, config.getUrl(), config.getDbProperties())
			.detectPoolCalls(TOMCAT_OWN_CALLS);
		config.setDataSource(chaos);
		return chaos;
	}

	/**
	 * The data source the pool's physical connections come from: the one the pool was
	 * given, or one that connects with the pool's driver, URL, driver properties, user
	 * and password, as the pool would have.
	 * @param config the pool's configuration
	 * @param name the bean name
	 * @return the data source, or {@code null} if there is none to put beneath the pool
	 */
	private static @Nullable DataSource physicalDataSource(PoolConfiguration config, String name) {
		Object given = config.getDataSource();
		if (given != null) {
			// An XADataSource is asked for XA connections, which a ChaosDataSource does
			// not
			// give.
			if (given instanceof DataSource physical && !(given instanceof XADataSource)) {
				return physical;
			}
			logger.info("Tomcat JDBC pool '" + name + "' connects through a " + given.getClass().getName()
					+ "; dbchaos wraps it as a whole");
			return null;
		}
		if (config.getUrl() == null) {
			logger.info("Tomcat JDBC pool '" + name + "' has no url; dbchaos wraps it as a whole");
			return null;
		}
		Driver driver = null;
		if (config.getDriverClassName() != null) {
			try {
				driver = PhysicalDataSources.instantiateDriver(config.getDriverClassName(),
						DataSourceProxy.class.getClassLoader(), Thread.currentThread().getContextClassLoader());
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
				// The pool fails its first connection with its own error: leave that to
				// it.
				logger.info("Tomcat JDBC pool '" + name + "' cannot load its driver " + config.getDriverClassName()
						+ " (" + ex + "); dbchaos wraps it as a whole");
				return null;
			}
		}
		return PhysicalDataSources.connectingAs(driver, config.getUrl(), config.getDbProperties(), config.getUsername(),
				config.getPassword());
	}

}
