package dev.dbchaos.jdbc;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

/**
 * Failures exactly as PgJDBC 42.7 reports them: {@link PSQLException} with the driver's
 * own messages for client-side failures, and a {@link ServerErrorMessage} for what the
 * server reports, so that code reading {@code getServerErrorMessage()} sees it too.
 * <p>
 * PgJDBC is an optional dependency: this class is only loaded when {@link #isAvailable()}
 * says the driver is on the class path.
 */
class PgJdbcFailures implements JdbcFailures {

	private static final String IO_ERROR = "An I/O error occurred while sending to the backend.";

	private static final Pattern SSL_MODE = Pattern.compile("[?&]sslmode=([a-z-]+)", Pattern.CASE_INSENSITIVE);

	private static final Pattern LOGIN_TIMEOUT = Pattern.compile("[?&]loginTimeout=([0-9.]+)");

	private final String server;

	private final int connectAttempts;

	private final @Nullable Duration loginTimeout;

	/**
	 * Create the failures of a PgJDBC data source.
	 * @param server the {@code host:port} messages name
	 * @param jdbcUrl the URL, whose {@code sslmode} and {@code loginTimeout} tell how
	 * long the driver tries a frozen server (the same settings as connection properties
	 * are not seen); may be {@code null}
	 */
	PgJdbcFailures(String server, @Nullable String jdbcUrl) {
		this.server = server;
		String sslMode = parameter(SSL_MODE, jdbcUrl);
		// With sslmode prefer (the default) or allow, an attempt that fails is tried once
		// more
		// with the other setting, so a frozen server costs two socket timeouts.
		this.connectAttempts = (sslMode == null || sslMode.equalsIgnoreCase("prefer")
				|| sslMode.equalsIgnoreCase("allow")) ? 2 : 1;
		this.loginTimeout = loginTimeout(parameter(LOGIN_TIMEOUT, jdbcUrl));
	}

	private static @Nullable Duration loginTimeout(@Nullable String seconds) {
		try {
			long millis = (seconds != null) ? (long) (Float.parseFloat(seconds) * 1000) : 0;
			return (millis > 0) ? Duration.ofMillis(millis) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static @Nullable String parameter(Pattern pattern, @Nullable String jdbcUrl) {
		if (jdbcUrl == null) {
			return null;
		}
		Matcher matcher = pattern.matcher(jdbcUrl);
		return matcher.find() ? matcher.group(1).toLowerCase(Locale.ROOT) : null;
	}

	static boolean isAvailable() {
		try {
			Class.forName("org.postgresql.util.PSQLException", false, PgJdbcFailures.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	@Override
	public SQLException connectionRefused() {
		return new PSQLException("Connection to " + this.server
				+ " refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.",
				PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused"));
	}

	@Override
	public SQLException connectTimedOut() {
		return new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
				new SocketTimeoutException("Read timed out"));
	}

	@Override
	public int connectAttempts() {
		return this.connectAttempts;
	}

	/**
	 * PgJDBC's {@code loginTimeout} property. PgJDBC 42.7 gives it a default of 0 and so
	 * never falls back to {@link java.sql.DriverManager#getLoginTimeout()}, which is
	 * where HikariCP's {@code DriverDataSource} puts a login timeout: HikariCP's
	 * {@code connectionTimeout} does not shorten the driver's attempts.
	 */
	@Override
	public @Nullable Duration loginTimeout() {
		return this.loginTimeout;
	}

	@Override
	public SQLException loginTimedOut() {
		return new PSQLException("Connection attempt timed out.", PSQLState.CONNECTION_UNABLE_TO_CONNECT);
	}

	@Override
	public SQLException serverShutdown() {
		return sessionEnded("57P01", null, null);
	}

	@Override
	public SQLException connectionClosed() {
		return new PSQLException("This connection has been closed.", PSQLState.CONNECTION_DOES_NOT_EXIST);
	}

	@Override
	public SQLException socketTimeout() {
		return new PSQLException(IO_ERROR, PSQLState.CONNECTION_FAILURE, new SocketTimeoutException("Read timed out"));
	}

	/**
	 * PgJDBC reads the end of the stream where the server's reply should be.
	 */
	@Override
	public SQLException connectionLost() {
		return new PSQLException(IO_ERROR, PSQLState.CONNECTION_FAILURE, new EOFException());
	}

	@Override
	public SQLException interrupted() {
		return new PSQLException(IO_ERROR, PSQLState.CONNECTION_FAILURE,
				new InterruptedIOException("Interrupted while dbchaos held the call back"));
	}

	@Override
	public SQLException readOnly(String command) {
		return serverError("25006", "cannot execute " + command + " in a read-only transaction");
	}

	/**
	 * PgJDBC's exceptions have no vendor code (PostgreSQL has none), so one the rule
	 * gives is not shown.
	 */
	@Override
	public SQLException error(String sqlState, @Nullable Integer vendorCode, @Nullable String message) {
		return serverError(sqlState, (message != null) ? message : SqlStates.defaultMessage(sqlState));
	}

	@Override
	public boolean endsSession(String sqlState, @Nullable Integer vendorCode) {
		return "FATAL".equals(SqlStates.severity(sqlState));
	}

	/**
	 * After a FATAL error the server closes the socket, and PgJDBC, reading on, reports
	 * the end of the stream as the next exception.
	 */
	@Override
	public SQLException sessionEnded(String sqlState, @Nullable Integer vendorCode, @Nullable String message) {
		SQLException error = error(sqlState, vendorCode, message);
		error.setNextException(new PSQLException(IO_ERROR, PSQLState.CONNECTION_FAILURE, new EOFException()));
		return error;
	}

	/**
	 * PostgreSQL aborts a transaction on any error, and refuses its later statements with
	 * 25P02 until it is rolled back; a commit then rolls back silently. The server is
	 * made to raise the same SQLState itself rather than told to abort, so that PgJDBC
	 * tracks the failed transaction as after the real error, {@code autosave} rolling
	 * back to its savepoint included.
	 */
	@Override
	public void abortTransaction(Connection connection, SQLException error) {
		String sqlState = error.getSQLState();
		try (Statement statement = connection.createStatement()) {
			// The SQLState was validated as five letters or digits, so it is safe to
			// inline.
			statement.execute("DO $dbchaos$ BEGIN RAISE EXCEPTION USING ERRCODE = '" + sqlState
					+ "', MESSAGE = 'dbchaos aborts the transaction as the injected error would'; END $dbchaos$");
		}
		catch (SQLException expected) {
			// The server reported it, so the transaction is aborted, which is all we
			// wanted.
		}
	}

	private static PSQLException serverError(String sqlState, String message) {
		String severity = SqlStates.severity(sqlState);
		// The fields of a protocol ErrorResponse, which is what PgJDBC parses real errors
		// from.
		String fields = "S" + severity + '\0' + "V" + severity + '\0' + "C" + sqlState + '\0' + "M" + message + '\0';
		return new PSQLException(new ServerErrorMessage(fields));
	}

}
