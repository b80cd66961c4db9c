package dev.dbchaos.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.dbchaos.fault.FaultRegistry;

/**
 * A {@link DataSource} whose connections fail on command, as the rules of a
 * {@link FaultRegistry} say.
 * <p>
 * Placed beneath a connection pool (as HikariCP's {@code dataSource}), it breaks the pool's
 * physical connections, so the pool's own validation, eviction and reconnection run exactly as in
 * a real outage. Placed around a pool, it breaks the connections the application borrows.
 * {@link #unwrap(Class)} and {@link #isWrapperFor(Class)} see through it either way.
 *
 * @author dbchaos
 */
public class ChaosDataSource implements DataSource {

	private final DataSource target;

	private final FaultInjector injector;

	/**
	 * Wrap a data source.
	 * @param target the data source whose connections to break
	 * @param registry the rules in force
	 * @param name the name rules filter by ({@code dataSource}), usually the bean name
	 * @param jdbcUrl the URL the target connects to, which decides whose exceptions are
	 * imitated; {@code null} if unknown
	 * @param connectionProperties the driver properties the target connects with, which tell
	 * how long the driver waits for a frozen server; {@code null} if unknown
	 */
	public ChaosDataSource(DataSource target, FaultRegistry registry, String name, String jdbcUrl,
			Properties connectionProperties) {
		this.target = target;
		registry.registerDataSource(name);
		this.injector = new FaultInjector(registry, name, JdbcFailures.forUrl(jdbcUrl),
				JdbcUrls.socketTimeout(jdbcUrl, connectionProperties));
	}

	/**
	 * Return the wrapped data source.
	 * @return the target
	 */
	public DataSource getTarget() {
		return this.target;
	}

	/**
	 * Return the name rules filter by.
	 * @return the name
	 */
	public String getName() {
		return this.injector.dataSourceName();
	}

	@Override
	public Connection getConnection() throws SQLException {
		return this.injector.connect(this.target::getConnection);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return this.injector.connect(() -> this.target.getConnection(username, password));
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.target.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.target.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.target.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.target.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.target.getParentLogger();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return iface.cast(this);
		}
		if (iface.isInstance(this.target)) {
			return iface.cast(this.target);
		}
		return this.target.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || iface.isInstance(this.target) || this.target.isWrapperFor(iface);
	}

	@Override
	public String toString() {
		return "ChaosDataSource[" + getName() + " -> " + this.target + "]";
	}

}
