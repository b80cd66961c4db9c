package dev.dbchaos.jdbc;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.Properties;

import org.jspecify.annotations.Nullable;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.HostAddress;
import org.mariadb.jdbc.export.ExceptionFactory;

/**
 * Failures exactly as MariaDB Connector/J 3.5 reports them, made by the driver's own
 * {@link ExceptionFactory} from the driver's own parsing of the URL: the exception class
 * it picks by SQLState, its {@code (conn=12)} prefix naming the server's thread of the
 * connection, and its wording of the server and of socket failures. What the server says
 * (the SQLState, vendor code and text of an error) is MariaDB's own, as measured against
 * MariaDB 10.11 (see {@code docs/fidelity-mariadb.md}).
 * <p>
 * MariaDB Connector/J is an optional dependency: this class is only loaded when
 * {@link #isFor(String)} says the driver is on the class path and takes the URL.
 */
final class MariaDbJdbcFailures implements JdbcFailures {

	private static final int CONNECTION_CLOSED = 1220;

	private final String jdbcUrl;

	private final Properties properties;

	private final Configuration configuration;

	private final HostAddress host;

	private final ExceptionFactory exceptions;

	private final long threadId;

	/**
	 * Create the failures of a connection of MariaDB Connector/J.
	 * @param jdbcUrl the URL
	 * @param properties the connection properties
	 * @param configuration the driver's reading of them
	 * @param threadId the server's thread of the connection, 0 for none yet
	 */
	private MariaDbJdbcFailures(String jdbcUrl, Properties properties, Configuration configuration, long threadId) {
		this.jdbcUrl = jdbcUrl;
		this.properties = properties;
		this.configuration = configuration;
		this.host = configuration.addresses().get(0);
		this.exceptions = new ExceptionFactory(configuration, this.host);
		this.exceptions.setThreadId(threadId);
		this.threadId = threadId;
	}

	/**
	 * Return the failures of MariaDB Connector/J for a URL, if the driver is on the class
	 * path and takes the URL ({@code jdbc:mariadb:}, or {@code jdbc:mysql:} with
	 * {@code permitMysqlScheme}).
	 * @param jdbcUrl the URL, may be {@code null}
	 * @param properties the connection properties, may be {@code null}
	 * @return the failures, or {@code null} when the URL is not the driver's
	 */
	static @Nullable JdbcFailures forUrl(@Nullable String jdbcUrl, @Nullable Properties properties) {
		if (jdbcUrl == null || !isAvailable() || !Configuration.acceptsUrl(jdbcUrl)) {
			return null;
		}
		Properties given = (properties != null) ? properties : new Properties();
		try {
			Configuration configuration = Configuration.parse(jdbcUrl, given);
			return (configuration != null && !configuration.addresses().isEmpty())
					? new MariaDbJdbcFailures(jdbcUrl, given, configuration, 0) : null;
		}
		catch (SQLException ex) {
			// The driver refuses the URL too, so its own failure is what the application
			// sees.
			return null;
		}
	}

	private static boolean isAvailable() {
		try {
			Class.forName("org.mariadb.jdbc.export.ExceptionFactory", false,
					MariaDbJdbcFailures.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * The driver prefixes the messages of an open connection with the server's thread id.
	 */
	@Override
	public JdbcFailures of(Connection physical) {
		try {
			return new MariaDbJdbcFailures(this.jdbcUrl, this.properties, this.configuration,
					physical.unwrap(org.mariadb.jdbc.Connection.class).getThreadId());
		}
		catch (SQLException ex) {
			return this;
		}
	}

	/**
	 * A frozen server accepts the socket but never sends its handshake, which the driver
	 * waits for up to its {@code connectTimeout}, not its {@code socketTimeout}.
	 */
	@Override
	public @Nullable Duration connectAttemptTimeout(@Nullable String jdbcUrl, @Nullable Properties properties) {
		return null;
	}

	/**
	 * The driver's {@code connectTimeout}: the URL's, else
	 * {@link java.sql.DriverManager#getLoginTimeout()} (where HikariCP puts one), else 30
	 * s, read as the driver reads it when it connects.
	 */
	@Override
	public @Nullable Duration loginTimeout() {
		return Duration.ofMillis(connectTimeoutMillis());
	}

	private int connectTimeoutMillis() {
		try {
			// Parsed again, as the driver parses the URL for each new connection.
			return Configuration.parse(this.jdbcUrl, this.properties).connectTimeout();
		}
		catch (SQLException | RuntimeException ex) {
			return this.configuration.connectTimeout();
		}
	}

	@Override
	public SQLException connectionRefused() {
		return new SQLNonTransientConnectionException(
				String.format("Socket fail to connect to %s. %s", this.host, "Connection refused"), "08000",
				new ConnectException("Connection refused"));
	}

	@Override
	public SQLException connectTimedOut() {
		return loginTimedOut();
	}

	@Override
	public SQLException loginTimedOut() {
		return new SQLTimeoutException(
				String.format("Socket timeout when connecting to %s. %s", this.host, "Read timed out"), "08000",
				new SocketTimeoutException("Read timed out"));
	}

	@Override
	public SQLException serverShutdown() {
		// Measured: a shutdown and a kill read alike, the server's socket closed under
		// the
		// driver.
		return this.exceptions.create("Socket error", "08000",
				new EOFException("unexpected end of stream, read 0 bytes from 4 (socket was closed by server)"));
	}

	@Override
	public SQLException connectionClosed() {
		return this.exceptions.create("Connection is closed", "08000", CONNECTION_CLOSED);
	}

	@Override
	public SQLException socketTimeout() {
		return this.exceptions.create("Socket timout error", "08000", new SocketTimeoutException("Read timed out"));
	}

	/**
	 * The driver reads the end of the stream where the server's reply should be, as when
	 * the server's socket closes under it.
	 */
	@Override
	public SQLException connectionLost() {
		return serverShutdown();
	}

	/**
	 * Measured: the driver reports the end of the stream under a streamed result as its
	 * own streaming error.
	 */
	@Override
	public SQLException resultBroken() {
		return this.exceptions.create("Error while streaming resultSet data", "08000",
				new EOFException("unexpected end of stream, read 0 bytes from 4 (socket was closed by server)"));
	}

	@Override
	public SQLException interrupted() {
		return this.exceptions.create("Socket error", "08000",
				new InterruptedIOException("Interrupted while dbchaos held the call back"));
	}

	@Override
	public SQLException readOnly(String command) {
		return error(MariaDbErrors.READ_ONLY.sqlState(), MariaDbErrors.READ_ONLY.code(), null);
	}

	/**
	 * The server's error: its SQLState and vendor code, and its usual text where the rule
	 * gives none and MariaDB's is known (see {@link MariaDbErrors}).
	 */
	@Override
	public SQLException error(String sqlState, @Nullable Integer vendorCode, @Nullable String message) {
		int code = MariaDbErrors.codeOf(sqlState, vendorCode);
		String text = MariaDbErrors.messageOf(sqlState, vendorCode, message);
		return this.exceptions.create(text, sqlState, code);
	}

	@Override
	public void abortTransaction(Connection connection, SQLException error) {
		MariaDbErrors.leaveTransactionAsTheServerDoes(connection, error);
	}

	/**
	 * The driver fails the whole batch with the first entry's error as the cause; the
	 * update counts mark every entry it did not run, which dbchaos, failing the batch
	 * before the driver sees it, cannot count.
	 */
	@Override
	public SQLException batchFailed(SQLException failure, @Nullable String sql) {
		BatchUpdateException batch = this.exceptions.createBatchUpdate(Collections.emptyList(), 0, failure);
		return batch;
	}

	@Override
	public String toString() {
		return "MariaDB Connector/J failures of " + this.host + ((this.threadId != 0) ? " conn=" + this.threadId : "");
	}

}
