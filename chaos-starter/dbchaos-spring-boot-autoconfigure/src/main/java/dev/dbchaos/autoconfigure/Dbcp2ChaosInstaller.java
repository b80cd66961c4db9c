package dev.dbchaos.autoconfigure;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.jdbc.ChaosDriver;
import dev.dbchaos.jdbc.PoolCallDetector;

/**
 * Puts dbchaos beneath a Commons DBCP2 pool, as the pool's driver
 * ({@link BasicDataSource#setDriver(Driver)}, the pool's own hook for the driver that
 * opens its physical connections): a {@link ChaosDriver} over the driver the pool would
 * have used, so that faults hit the physical connections and the pool's own validation
 * and eviction run as they would in a real outage. DBCP2 hands the driver its URL, user,
 * password and connection properties on every connect, and the real driver gets them as
 * given. Only loaded when DBCP2 is present.
 */
final class Dbcp2ChaosInstaller {

	private static final Log logger = LogFactory.getLog(Dbcp2ChaosInstaller.class);

	/**
	 * DBCP2 creates, validates, activates and passivates physical connections from its
	 * {@code PoolableConnectionFactory}; the application's calls come through the pool's
	 * {@code DelegatingConnection}s instead.
	 */
	private static final PoolCallDetector DBCP2_OWN_CALLS = PoolCallDetector
		.byCallerClass("org.apache.commons.dbcp2.PoolableConnectionFactory");

	private Dbcp2ChaosInstaller() {
	}

	static boolean isInstalled(DataSource dataSource) {
		return dataSource instanceof BasicDataSource dbcp2 && dbcp2.getDriver() instanceof ChaosDriver;
	}

	/**
	 * Return how many connections the pool holds at most, as pool-exhaustion faults need
	 * to know.
	 * @param dataSource the data source bean
	 * @return its {@code maxTotal} (negative for no limit), read anew each time, or
	 * {@code null} if it is not a DBCP2 pool
	 */
	static @Nullable IntSupplier maximumPoolSizeOf(DataSource dataSource) {
		return (dataSource instanceof BasicDataSource dbcp2) ? dbcp2::getMaxTotal : null;
	}

	/**
	 * Install the fault-injecting driver beneath the pool. Its data source is not
	 * registered with the registry: the caller registers it once it is in place.
	 * @param dataSource the data source bean
	 * @param registry the rules in force
	 * @param name the bean name
	 * @return the data source whose fault engine the pool's connections go through, not
	 * registered yet, or {@code null} if none could be installed, when the data source
	 * must be wrapped as a whole
	 */
	static @Nullable ChaosDataSource installBeneath(DataSource dataSource, FaultRegistry registry, String name) {
		if (!(dataSource instanceof BasicDataSource dbcp2)) {
			return null;
		}
		if (dbcp2.getConnectionPool() != null || dbcp2.isClosed()) {
			// Its configuration, the driver included, was read when it started.
			logger.info("DBCP2 pool '" + name + "' is already started; dbchaos wraps it as a whole");
			return null;
		}
		String url = dbcp2.getUrl();
		if (url == null) {
			logger.info("DBCP2 pool '" + name + "' has no url; dbchaos wraps it as a whole");
			return null;
		}
		Driver driver;
		try {
			driver = driverOf(dbcp2);
		}
		catch (ReflectiveOperationException | SQLException | RuntimeException | LinkageError ex) {
			// The pool fails its first connection with its own error: leave that to it.
			logger
				.info("DBCP2 pool '" + name + "' has no driver for its url (" + ex + "); dbchaos wraps it as a whole");
			return null;
		}
		if (!acceptsUrl(driver, url)) {
			logger
				.info("DBCP2 pool '" + name + "' has a driver that does not take its url; dbchaos wraps it as a whole");
			return null;
		}
		// DBCP2 keeps its connection properties to itself (it passes them to the driver
		// on each connect), so only the URL tells the fault engine of a socketTimeout.
		ChaosDataSource chaos = new ChaosDataSource(
				PhysicalDataSources.connectingAs(driver, url, null, dbcp2.getUsername(), dbcp2.getPassword()), registry,
				name, url, null)
			.detectPoolCalls(DBCP2_OWN_CALLS);
		dbcp2.setDriver(new ChaosDriver(driver, chaos));
		return chaos;
	}

	private static boolean acceptsUrl(Driver driver, String url) {
		try {
			return driver.acceptsURL(url);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * The driver the pool would use, found as DBCP2 finds it: the one it was given, else
	 * its driver class from its driver class loader or this one's, then the thread's
	 * context class loader, else whichever driver {@link DriverManager} has for the URL.
	 * @param dbcp2 the pool
	 * @return the driver
	 */
	private static Driver driverOf(BasicDataSource dbcp2) throws ReflectiveOperationException, SQLException {
		if (dbcp2.getDriver() != null) {
			return dbcp2.getDriver();
		}
		String className = dbcp2.getDriverClassName();
		if (className == null) {
			return DriverManager.getDriver(dbcp2.getUrl());
		}
		ClassLoader own = (dbcp2.getDriverClassLoader() != null) ? dbcp2.getDriverClassLoader()
				: BasicDataSource.class.getClassLoader();
		return PhysicalDataSources.instantiateDriver(className, own, Thread.currentThread().getContextClassLoader());
	}

}
