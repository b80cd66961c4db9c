package dev.dbchaos.testdatabases;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Administrative SQL on a MariaDB server, run over short-lived superuser connections of
 * MariaDB Connector/J. Nothing is kept open: a pooled admin connection would itself be
 * broken by the outages this module creates.
 */
final class MariaDbAdmin {

	private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

	private static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(10);

	private final String host;

	private final int port;

	private final String user;

	private final String password;

	/**
	 * Create an instance.
	 * @param host the host
	 * @param port the port
	 * @param user a user with every privilege
	 * @param password its password, empty for none
	 */
	MariaDbAdmin(String host, int port, String user, String password) {
		this.host = host;
		this.port = port;
		this.user = user;
		this.password = password;
	}

	String jdbcUrl(String scheme, String database) {
		return "jdbc:" + scheme + "://" + this.host + ":" + this.port + "/" + database;
	}

	/**
	 * Block until the server answers a query. A server still recovering from a crash may
	 * listen before it serves, so a listening port is not enough.
	 * @param timeout how long to wait at most
	 */
	void awaitAcceptingConnections(Duration timeout) {
		Poll.until("MariaDB at " + this.host + ":" + this.port + " answers queries", timeout, this::answers);
	}

	/**
	 * Whether the server answers a query now.
	 * @return {@code true} if it does
	 */
	boolean answers() {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("select 1");
			return true;
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/**
	 * Kill every client session but our own, and wait until they are gone, so that their
	 * clients' next statement reliably fails.
	 * @return how many sessions were killed
	 */
	int killClientSessions() {
		try (Connection connection = connect()) {
			List<Long> sessions = clientSessions(connection);
			List<Long> killed = new ArrayList<>();
			for (long id : sessions) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("kill connection " + id);
					killed.add(id);
				}
				catch (SQLException ex) {
					// 1094, unknown thread: it ended by itself meanwhile.
					if (ex.getErrorCode() != 1094) {
						throw ex;
					}
				}
			}
			if (!killed.isEmpty()) {
				Poll.until("killed sessions " + killed + " have ended", TERMINATION_TIMEOUT,
						() -> Collections.disjoint(clientSessions(connection), killed));
			}
			return killed.size();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not kill connections", ex);
		}
	}

	private List<Long> clientSessions(Connection connection) {
		// Not the event scheduler ('Daemon') nor the server's own threads ('system
		// user').
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select id from information_schema.processlist"
						+ " where id <> connection_id() and command <> 'Daemon' and user <> 'system user'")) {
			List<Long> ids = new ArrayList<>();
			while (result.next()) {
				ids.add(result.getLong(1));
			}
			return ids;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not list sessions", ex);
		}
	}

	/**
	 * Create a user with a password and every privilege but {@code READ_ONLY ADMIN}, so
	 * that {@code read_only} binds it, unless it exists.
	 * @param name the user name
	 * @param password its password
	 */
	void ensureTestUser(String name, String password) {
		String user = literal(name) + "@'%'";
		execute("create user if not exists " + user + " identified by " + literal(password),
				"grant all privileges on *.* to " + user, "revoke read_only admin on *.* from " + user);
	}

	/**
	 * Create a database unless it exists.
	 * @param name the database name: letters, digits and underscores, so that it can
	 * appear unescaped in a JDBC URL
	 * @return the database's JDBC URL for MariaDB Connector/J
	 */
	String ensureDatabase(String name) {
		if (name == null || !DATABASE_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Database name '" + name
					+ "' must be 1 to 64 letters, digits or underscores, not starting with a digit");
		}
		execute("create database if not exists `" + name + "`");
		return jdbcUrl("mariadb", name);
	}

	void setReadOnly(boolean readOnly) {
		execute("set global read_only = " + (readOnly ? "1" : "0"));
	}

	boolean isReadOnly() {
		try (Connection connection = connect();
				PreparedStatement statement = connection.prepareStatement("select @@global.read_only");
				ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getBoolean(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read read_only", ex);
		}
	}

	private void execute(String... sql) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not execute: " + String.join("; ", sql), ex);
		}
	}

	private Connection connect() throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", this.user);
		properties.setProperty("password", this.password);
		// Short timeouts: a frozen or dying server must not hang the caller.
		properties.setProperty("connectTimeout", "2000");
		properties.setProperty("socketTimeout", "30000");
		return DriverManager.getConnection(jdbcUrl("mariadb", ""), properties);
	}

	private static String literal(String value) {
		return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
	}

	@Override
	public String toString() {
		return this.user + "@" + this.host + ":" + this.port;
	}

}
