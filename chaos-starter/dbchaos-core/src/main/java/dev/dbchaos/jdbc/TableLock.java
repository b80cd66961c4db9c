package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.Registration;
import dev.dbchaos.fault.FaultHolder;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * Holds the real lock of a lock fault: on a physical connection of its own, opened from
 * the data source a {@link ChaosDataSource} wraps (beneath the pool, so it takes none of
 * the pool's connections and no fault reaches it), it locks the table as a migration
 * would and keeps the lock until the fault ends. PostgreSQL: {@code LOCK TABLE … IN …
 * MODE} in an open transaction, rolled back to release; MariaDB and MySQL:
 * {@code LOCK TABLES … READ|WRITE}, released by {@code UNLOCK TABLES}. Closing the
 * connection releases the lock on the server too, which is the last resort when the
 * statement cannot be sent.
 */
final class TableLock implements FaultHolder {

	/**
	 * How long taking the lock waits for the locks others hold on the table (an open
	 * transaction that read it, say) before the fault is refused; the application is not
	 * kept waiting behind dbchaos's queued lock for longer.
	 */
	static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * How long the release's statement may take before the connection is closed instead,
	 * so that a frozen server never holds up the thread that ends the fault.
	 */
	private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(5);

	private static final Executor DIRECT = Runnable::run;

	private final DataSource physical;

	TableLock(DataSource physical) {
		this.physical = physical;
	}

	@Override
	public Registration hold(FaultRule rule) {
		FaultSpec spec = rule.getSpec();
		String table = spec.getTable();
		if (table == null) {
			throw new InvalidFaultException("table", "is required for lock faults, for example stock");
		}
		Connection connection = connect(table);
		try {
			Dialect dialect = Dialect.of(connection);
			String mode = dialect.mode(spec.getMode());
			if (!dialect.exists(connection, table)) {
				throw new InvalidFaultException("table", "'" + table + "' is not a table of this database");
			}
			dialect.lock(connection, table, mode);
			connection.setNetworkTimeout(DIRECT, (int) RELEASE_TIMEOUT.toMillis());
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw new InvalidFaultException("table", "'" + table + "' could not be locked: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			closeQuietly(connection);
			throw ex;
		}
		return Registration.of(() -> release(connection));
	}

	private Connection connect(String table) {
		try {
			return this.physical.getConnection();
		}
		catch (SQLException ex) {
			throw new InvalidFaultException("table",
					"'" + table + "' could not be locked: dbchaos could not connect: " + ex.getMessage());
		}
	}

	private static void release(Connection connection) {
		try {
			Dialect.of(connection).unlock(connection);
		}
		catch (SQLException | RuntimeException ex) {
			// The connection is broken or the server gone; closing it below drops the
			// lock on the server all the same.
		}
		finally {
			closeQuietly(connection);
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// Closed or broken already: the server releases the lock with the session.
		}
	}

	@Override
	public String toString() {
		return "TableLock[" + this.physical + "]";
	}

	/**
	 * How each database takes and gives back a table lock.
	 */
	private enum Dialect {

		POSTGRESQL(List.of("access share", "row share", "row exclusive", "share update exclusive", "share",
				"share row exclusive", "exclusive", "access exclusive")) {

			@Override
			boolean exists(Connection connection, String table) throws SQLException {
				try (PreparedStatement statement = connection.prepareStatement("select to_regclass(?) is not null")) {
					statement.setString(1, table);
					try (ResultSet result = statement.executeQuery()) {
						return result.next() && result.getBoolean(1);
					}
				}
			}

			@Override
			void lock(Connection connection, String table, String mode) throws SQLException {
				connection.setAutoCommit(false);
				try (Statement statement = connection.createStatement()) {
					statement.execute("set local lock_timeout = " + ACQUIRE_TIMEOUT.toMillis());
					statement.execute("lock table " + table + " in " + mode + " mode");
				}
			}

			@Override
			void unlock(Connection connection) throws SQLException {
				connection.rollback();
			}

		},

		MARIADB(List.of("read", "read local", "write")) {

			@Override
			boolean exists(Connection connection, String table) throws SQLException {
				int dot = table.indexOf('.');
				try (PreparedStatement statement = connection.prepareStatement("select count(*) from "
						+ "information_schema.tables where table_schema = coalesce(?, database()) and table_name = ?")) {
					statement.setString(1, (dot < 0) ? null : table.substring(0, dot));
					statement.setString(2, table.substring(dot + 1));
					try (ResultSet result = statement.executeQuery()) {
						return result.next() && result.getInt(1) > 0;
					}
				}
			}

			@Override
			void lock(Connection connection, String table, String mode) throws SQLException {
				try (Statement statement = connection.createStatement()) {
					statement.execute("set session lock_wait_timeout = " + ACQUIRE_TIMEOUT.toSeconds());
					statement.execute("lock tables " + table + " " + mode);
				}
			}

			@Override
			void unlock(Connection connection) throws SQLException {
				try (Statement statement = connection.createStatement()) {
					statement.execute("unlock tables");
				}
			}

		};

		private final List<String> modes;

		Dialect(List<String> modes) {
			this.modes = modes;
		}

		static Dialect of(Connection connection) throws SQLException {
			String product = connection.getMetaData().getDatabaseProductName();
			if ("PostgreSQL".equalsIgnoreCase(product)) {
				return POSTGRESQL;
			}
			if ("MariaDB".equalsIgnoreCase(product) || "MySQL".equalsIgnoreCase(product)) {
				return MARIADB;
			}
			throw new InvalidFaultException("type",
					"lock faults take a real lock, which dbchaos knows how to take on PostgreSQL, MariaDB and MySQL, "
							+ "not on " + product);
		}

		/**
		 * Return the mode to lock in.
		 * @param requested the mode asked for, in any case, with {@code -} or {@code _}
		 * for spaces; {@code null} for the strongest
		 * @return the mode, lower case
		 * @throws InvalidFaultException naming {@code mode} if this database has no such
		 * mode
		 */
		String mode(@Nullable String requested) {
			if (requested == null) {
				return this.modes.get(this.modes.size() - 1);
			}
			String normalized = requested.trim().toLowerCase(Locale.ROOT).replaceAll("[-_\\s]+", " ");
			if (!this.modes.contains(normalized)) {
				throw new InvalidFaultException("mode",
						"'" + requested + "' is not a lock mode of " + ((this == POSTGRESQL) ? "PostgreSQL" : "MariaDB")
								+ "; expected one of " + String.join(", ", this.modes));
			}
			return normalized;
		}

		abstract boolean exists(Connection connection, String table) throws SQLException;

		abstract void lock(Connection connection, String table, String mode) throws SQLException;

		abstract void unlock(Connection connection) throws SQLException;

	}

}
