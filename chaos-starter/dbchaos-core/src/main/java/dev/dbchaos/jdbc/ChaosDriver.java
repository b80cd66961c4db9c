package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

import org.jspecify.annotations.Nullable;

/**
 * A JDBC {@link Driver} whose connections fail on command: the real driver connects, and
 * the connection goes through a {@link ChaosDataSource}'s fault engine, as that data
 * source's own connections do. For pools that open their physical connections through a
 * {@code Driver} they are given rather than through a {@code DataSource}, such as Commons
 * DBCP2's {@code BasicDataSource.setDriver}: <pre class="code">
 * ChaosDataSource chaos = new ChaosDataSource(driverDataSource, faults, "orders", jdbcUrl, null).register();
 * basicDataSource.setDriver(new ChaosDriver(realDriver, chaos));
 * </pre> The pool's URL and properties (user, password, its connection properties) are
 * passed to the real driver as the pool gives them, call by call. It is never registered
 * with {@link java.sql.DriverManager}.
 *
 * @since 0.1.0
 */
public final class ChaosDriver implements Driver {

	private final Driver driver;

	private final ChaosDataSource chaos;

	/**
	 * Create a driver over a real one.
	 * @param driver the real driver, which opens the physical connections
	 * @param chaos the data source whose rules, name and open connections the connections
	 * share
	 */
	public ChaosDriver(Driver driver, ChaosDataSource chaos) {
		this.driver = driver;
		this.chaos = chaos;
	}

	/**
	 * Return the real driver.
	 * @return the driver that opens the physical connections
	 */
	public Driver getDriver() {
		return this.driver;
	}

	/**
	 * Return the data source the connections go through.
	 * @return the chaos data source
	 */
	public ChaosDataSource getChaosDataSource() {
		return this.chaos;
	}

	/**
	 * Open a connection as the fault engine decides: held back, refused, or opened by the
	 * real driver and wrapped.
	 * @param url the JDBC URL
	 * @param info the connection properties
	 * @return the connection, or {@code null} if the real driver does not take this URL
	 * (what {@link Driver#connect} promises)
	 * @throws SQLException as the real driver, or an injected fault, throws it
	 */
	@Override
	public @Nullable Connection connect(String url, Properties info) throws SQLException {
		if (!this.driver.acceptsURL(url)) {
			return null;
		}
		return this.chaos.connect(() -> {
			Connection connection = this.driver.connect(url, info);
			if (connection == null) {
				throw new SQLException(
						"Driver " + this.driver.getClass().getName() + " opened no connection for " + url, "08001");
			}
			return connection;
		});
	}

	@Override
	public boolean acceptsURL(String url) throws SQLException {
		return this.driver.acceptsURL(url);
	}

	@Override
	public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
		return this.driver.getPropertyInfo(url, info);
	}

	@Override
	public int getMajorVersion() {
		return this.driver.getMajorVersion();
	}

	@Override
	public int getMinorVersion() {
		return this.driver.getMinorVersion();
	}

	@Override
	public boolean jdbcCompliant() {
		return this.driver.jdbcCompliant();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.driver.getParentLogger();
	}

	@Override
	public String toString() {
		return "ChaosDriver[" + this.chaos.getName() + " -> " + this.driver + "]";
	}

}
