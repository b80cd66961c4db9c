package dev.dbchaos.testdatabases;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Administrative SQL, run over short-lived superuser connections. Nothing is kept open: a
 * pooled admin connection would itself be broken by the outages this module creates.
 */
final class PostgresAdmin {

	private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

	private static final String DUPLICATE_DATABASE = "42P04";

	private static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(10);

	private final String host;

	private final int port;

	private final String user;

	private final String password;

	/**
	 * Create an instance.
	 * @param host the host
	 * @param port the port
	 * @param user a superuser
	 * @param password its password or {@code null} where it is trusted
	 */
	PostgresAdmin(String host, int port, String user, String password) {
		this.host = host;
		this.port = port;
		this.user = user;
		this.password = password;
	}

	String jdbcUrl(String database) {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + database;
	}

	/**
	 * Block until the server answers a query. A server that is still starting up or
	 * recovering from a crash refuses logins (57P03), so a listening port is not enough.
	 * @param timeout how long to wait at most
	 */
	void awaitAcceptingConnections(Duration timeout) {
		Poll.until("PostgreSQL at " + this.host + ":" + this.port + " answers queries", timeout, this::answers);
	}

	private boolean answers() {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("select 1");
			return true;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * Terminate every client backend but our own, and wait until they are gone, so that
	 * their clients' next statement reliably fails.
	 * @return how many backends were terminated
	 */
	int terminateClientBackends() {
		try (Connection connection = connect()) {
			List<Integer> terminated = new ArrayList<>();
			try (Statement statement = connection.createStatement();
					ResultSet result = statement
						.executeQuery("select pid, pg_terminate_backend(pid) from pg_stat_activity"
								+ " where backend_type = 'client backend' and pid <> pg_backend_pid()")) {
				while (result.next()) {
					if (result.getBoolean(2)) {
						terminated.add(result.getInt(1));
					}
				}
			}
			if (!terminated.isEmpty()) {
				Array pids = connection.createArrayOf("int4", terminated.toArray());
				Poll.until("terminated backends " + terminated + " have exited", TERMINATION_TIMEOUT,
						() -> countBackends(connection, pids) == 0);
			}
			return terminated.size();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not terminate connections", ex);
		}
	}

	private int countBackends(Connection connection, Array pids) {
		try (PreparedStatement statement = connection
			.prepareStatement("select count(*) from pg_stat_activity where pid = any(?)")) {
			statement.setArray(1, pids);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not list backends", ex);
		}
	}

	/**
	 * Create a login role unless it exists.
	 * @param name the role name
	 * @param password its password
	 */
	void ensureLoginRole(String name, String password) {
		execute("do $$ begin if not exists (select from pg_roles where rolname = " + literal(name) + ") then"
				+ " create role " + identifier(name) + " login createdb password " + literal(password) + ";"
				+ " end if; end $$");
	}

	/**
	 * Create a database unless it exists.
	 * @param name the database name: letters, digits and underscores, so that it can
	 * appear unescaped in a JDBC URL
	 * @param owner its owner
	 * @return the database's JDBC URL
	 */
	String ensureDatabase(String name, String owner) {
		if (name == null || !DATABASE_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Database name '" + name
					+ "' must be 1 to 63 letters, digits or underscores, not starting with a digit");
		}
		try (Connection connection = connect()) {
			if (!databaseExists(connection, name)) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("create database " + identifier(name) + " owner " + identifier(owner));
				}
			}
		}
		catch (SQLException ex) {
			// Someone else created it between our check and our create: fine.
			if (!DUPLICATE_DATABASE.equals(ex.getSQLState())) {
				throw new IllegalStateException("Could not create database " + name, ex);
			}
		}
		return jdbcUrl(name);
	}

	private boolean databaseExists(Connection connection, String name) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
			statement.setString(1, name);
			try (ResultSet result = statement.executeQuery()) {
				return result.next();
			}
		}
	}

	private void execute(String sql) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not execute: " + sql, ex);
		}
	}

	private Connection connect() throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", this.user);
		if (this.password != null) {
			properties.setProperty("password", this.password);
		}
		properties.setProperty("ApplicationName", "dbchaos-test-databases");
		// Short timeouts: a frozen or dying server must not hang the caller.
		properties.setProperty("connectTimeout", "2");
		properties.setProperty("socketTimeout", "30");
		return DriverManager.getConnection(jdbcUrl("postgres"), properties);
	}

	private static String identifier(String name) {
		return "\"" + name.replace("\"", "\"\"") + "\"";
	}

	private static String literal(String value) {
		return "'" + value.replace("'", "''") + "'";
	}

}
