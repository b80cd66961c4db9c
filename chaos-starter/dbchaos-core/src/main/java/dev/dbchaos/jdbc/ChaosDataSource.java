package dev.dbchaos.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.Registration;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultType;

/**
 * A {@link DataSource} whose connections fail on command, as the rules of a
 * {@link FaultRegistry} say.
 * <p>
 * Placed beneath a connection pool (as HikariCP's {@code dataSource}), it breaks the
 * pool's physical connections, so the pool's own validation, eviction and reconnection
 * run exactly as in a real outage. Placed around a pool, it breaks the connections the
 * application borrows. {@link #unwrap(Class)} and {@link #isWrapperFor(Class)} see
 * through it either way.
 * <p>
 * Creating one changes nothing in the registry; {@link #register()} makes it known there,
 * and {@link #close()} undoes that: <pre class="code">
 * ChaosDataSource chaos = new ChaosDataSource(driver, faults, "orders", jdbcUrl, null).register();
 * // ... use it, beneath a pool or around one ...
 * chaos.close(); // after the pool that uses it
 * </pre>
 *
 * @since 0.1.0
 */
public class ChaosDataSource implements DataSource, AutoCloseable {

	private final DataSource target;

	private final FaultRegistry registry;

	private final FaultInjector injector;

	private final OpenConnections open;

	private final Object lifecycle = new Object();

	// Guarded by lifecycle.
	private @Nullable Registration registration;

	// Guarded by lifecycle.
	private boolean closed;

	/**
	 * Wrap a data source. Its calls take their faults from the registry at once, but the
	 * registry does not know it until {@link #register()}: it is not among the registry's
	 * {@linkplain FaultRegistry#getDataSources() data sources}, and a full outage does
	 * not cut the connections it has open.
	 * @param target the data source whose connections to break
	 * @param registry the rules in force
	 * @param name the name rules filter by ({@code dataSource}), usually the bean name
	 * @param jdbcUrl the URL the target connects to, which decides whose exceptions are
	 * imitated; {@code null} if unknown
	 * @param connectionProperties the driver properties the target connects with, which
	 * tell how long the driver waits for a frozen server; {@code null} if unknown
	 */
	public ChaosDataSource(DataSource target, FaultRegistry registry, String name, @Nullable String jdbcUrl,
			@Nullable Properties connectionProperties) {
		this.target = target;
		this.registry = registry;
		JdbcFailures failures = JdbcFailures.forUrl(jdbcUrl, connectionProperties);
		this.injector = new FaultInjector(registry, name, failures,
				failures.connectAttemptTimeout(jdbcUrl, connectionProperties));
		this.open = new OpenConnections(name);
	}

	/**
	 * Tell the calls of the pool this data source sits beneath from the application's:
	 * only unscoped rules apply to the pool's own calls (see {@link PoolCallDetector}).
	 * Without it every call is the application's. <pre class="code">
	 * chaos.detectPoolCalls(PoolCallDetector.byCallerClass("com.zaxxer.hikari.pool.PoolBase"));
	 * </pre>
	 * @param detector the pool's detector
	 * @return this data source
	 */
	public ChaosDataSource detectPoolCalls(@Nullable PoolCallDetector detector) {
		this.injector.detectPoolCalls((detector != null) ? detector : PoolCallDetector.NONE);
		return this;
	}

	/**
	 * Make this data source known to its registry until {@link #close()}: its name is
	 * listed among the registry's {@linkplain FaultRegistry#getDataSources() data
	 * sources}, a full outage cuts the connections it has open, as a server shutdown
	 * does, and a lock fault takes its lock on a connection of the wrapped data source
	 * (beneath the pool, when this data source is). Registering again does nothing.
	 * @return this data source
	 * @throws IllegalStateException if it has been closed
	 */
	public ChaosDataSource register() {
		synchronized (this.lifecycle) {
			if (this.closed) {
				throw new IllegalStateException(this + " has been closed");
			}
			if (this.registration == null) {
				Registration name = this.registry.registerDataSource(getName());
				Registration fullOutages = this.open.cutOnFullOutage(this.registry);
				Registration locks = this.registry.addHolder(FaultType.LOCK, getName(), new TableLock(this.target));
				this.registration = Registration.of(() -> {
					locks.close();
					fullOutages.close();
					name.close();
				});
			}
		}
		return this;
	}

	/**
	 * Return whether this data source is registered with its registry.
	 * @return whether {@link #register()} was called and {@link #close()} was not
	 */
	public boolean isRegistered() {
		synchronized (this.lifecycle) {
			return this.registration != null;
		}
	}

	/**
	 * Unregister this data source from its registry: its name leaves the registry's data
	 * sources and it no longer listens to the registry. The wrapped data source is not
	 * closed (it belongs to the caller), and connections handed out keep working until
	 * they are closed. Close it after the pool that uses it; closing it again does
	 * nothing.
	 */
	@Override
	public void close() {
		synchronized (this.lifecycle) {
			this.closed = true;
			if (this.registration != null) {
				this.registration.close();
				this.registration = null;
			}
		}
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
		return connect(this.target::getConnection);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return connect(() -> this.target.getConnection(username, password));
	}

	/**
	 * Open a physical connection as the fault engine decides: held back, refused, or
	 * opened and wrapped. {@link ChaosDriver} opens its connections here too.
	 * @param opener opens the physical connection
	 * @return the wrapped connection
	 */
	Connection connect(ConnectionOpener opener) throws SQLException {
		Verdict failing = Verdict.firstFailure(this.injector.connect());
		if (failing != null) {
			// No connection exists yet, so there is nothing for the failure to end.
			throw failing.failure();
		}
		ChaosConnection connection = new ChaosConnection(opener.open(), this.injector, this.open);
		this.open.opened(connection);
		return connection;
	}

	@Override
	public @Nullable PrintWriter getLogWriter() throws SQLException {
		return this.target.getLogWriter();
	}

	@Override
	public void setLogWriter(@Nullable PrintWriter out) throws SQLException {
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

	/**
	 * Opens a physical connection.
	 */
	@FunctionalInterface
	interface ConnectionOpener {

		Connection open() throws SQLException;

	}

}
