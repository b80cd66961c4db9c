package dev.dbchaos.autoconfigure;

import java.sql.Driver;
import java.util.Properties;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.AbstractDriverBasedDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.ClassUtils;

/**
 * The unpooled data sources dbchaos puts beneath a pool configured by JDBC URL, in place
 * of the driver the pool would have called itself: each connection is the real driver's
 * {@code connect(url, properties)}, with the pool's URL, driver properties, user and
 * password, as the pool would have opened it.
 */
final class PhysicalDataSources {

	private PhysicalDataSources() {
	}

	/**
	 * A data source that connects as a pool does with these settings.
	 * @param driver the driver the pool would call, or {@code null} if the pool leaves
	 * the choice to {@link java.sql.DriverManager}
	 * @param url the JDBC URL
	 * @param properties the driver properties, or {@code null} for none
	 * @param username the user, or {@code null} for none
	 * @param password the password, or {@code null} for none
	 * @return the data source; {@code getConnection(user, password)} connects with those
	 * credentials and the same properties
	 */
	static DataSource connectingAs(@Nullable Driver driver, String url, @Nullable Properties properties,
			@Nullable String username, @Nullable String password) {
		AbstractDriverBasedDataSource dataSource = (driver != null) ? new SimpleDriverDataSource(driver, url)
				: new DriverManagerDataSource(url);
		dataSource.setConnectionProperties(properties);
		dataSource.setUsername(username);
		dataSource.setPassword(password);
		return dataSource;
	}

	/**
	 * Instantiate a driver class, as pools do: from the first class loader that has it.
	 * @param className the driver's class name
	 * @param classLoaders where to look, in order; {@code null} ones are skipped
	 * @return a new instance of the driver
	 * @throws ReflectiveOperationException if no class loader has it, or it cannot be
	 * instantiated
	 */
	static Driver instantiateDriver(String className, @Nullable ClassLoader... classLoaders)
			throws ReflectiveOperationException {
		ClassNotFoundException notFound = new ClassNotFoundException(className);
		for (ClassLoader classLoader : classLoaders) {
			if (classLoader != null) {
				try {
					Class<?> type = ClassUtils.forName(className, classLoader);
					return (Driver) type.getDeclaredConstructor().newInstance();
				}
				catch (ClassNotFoundException ex) {
					notFound = ex;
				}
			}
		}
		throw notFound;
	}

	/**
	 * The driver properties a data source built by {@link #connectingAs} connects with.
	 * @param dataSource the data source
	 * @return its properties, or {@code null} if it is not a driver-based data source
	 */
	static @Nullable Properties propertiesOf(DataSource dataSource) {
		return (dataSource instanceof AbstractDriverBasedDataSource driverBased) ? driverBased.getConnectionProperties()
				: null;
	}

}
