package dev.dbchaos.jdbc;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

import com.mysql.cj.Messages;
import com.mysql.cj.NativeSession;
import com.mysql.cj.conf.ConnectionUrl;
import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.exceptions.ExceptionFactory;
import com.mysql.cj.exceptions.ExceptionInterceptor;
import com.mysql.cj.exceptions.MysqlErrorNumbers;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.JdbcPropertySetImpl;
import com.mysql.cj.jdbc.exceptions.SQLError;
import com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping;
import com.mysql.cj.protocol.PacketReceivedTimeHolder;
import com.mysql.cj.protocol.PacketSentTimeHolder;
import com.mysql.cj.protocol.ServerSession;
import org.jspecify.annotations.Nullable;

/**
 * Failures exactly as MySQL Connector/J 9 reports them, made by the driver's own
 * exception factories: a lost or unreachable server is its
 * {@code CommunicationsException} (08S01, "Communications link failure" with the driver's
 * account of the last packets sent and received, from the connection's own clocks), a
 * closed connection its "No operations allowed after connection closed." (08003), and a
 * server error the class its {@code SQLError} picks by SQLState
 * ({@code MySQLTransactionRollbackException} for 40001, ...). What the server says (the
 * vendor code and text of an error) is MariaDB's, as measured against MariaDB 10.11 (see
 * {@code docs/fidelity-mysql.md}), and the driver replaces the server's SQLState HY000
 * with the one of its own table for the vendor code, as it does for real errors (1205 is
 * 40001).
 * <p>
 * MySQL Connector/J is an optional dependency: this class is only loaded when
 * {@link JdbcFailures#forUrl(String, Properties)} finds the driver on the class path.
 */
final class MySqlJdbcFailures implements JdbcFailures {

	private static final String GENERAL_ERROR = "HY000";

	private final PropertySet properties;

	private final String server;

	private final @Nullable ServerSession serverSession;

	// Null before a connection's first packet, when nothing has been sent or received.
	private final @Nullable PacketSentTimeHolder sent;

	private final @Nullable PacketReceivedTimeHolder received;

	private final @Nullable ExceptionInterceptor interceptor;

	private MySqlJdbcFailures(PropertySet properties, String server, @Nullable ServerSession serverSession,
			@Nullable PacketSentTimeHolder sent, @Nullable PacketReceivedTimeHolder received,
			@Nullable ExceptionInterceptor interceptor) {
		this.properties = properties;
		this.server = server;
		this.serverSession = serverSession;
		this.sent = sent;
		this.received = received;
		this.interceptor = interceptor;
	}

	/**
	 * Return the failures of MySQL Connector/J for a URL, if the driver takes it
	 * ({@code jdbc:mysql:} and its variants). Only to be called when the driver is on the
	 * class path: this class does not even link without it.
	 * @param jdbcUrl the URL, may be {@code null}
	 * @param properties the connection properties, may be {@code null}
	 * @return the failures, or {@code null} when the URL is not the driver's
	 */
	static @Nullable JdbcFailures forUrl(@Nullable String jdbcUrl, @Nullable Properties properties) {
		if (jdbcUrl == null || !ConnectionUrl.acceptsUrl(jdbcUrl)) {
			return null;
		}
		try {
			ConnectionUrl url = ConnectionUrl.getConnectionUrlInstance(jdbcUrl,
					(properties != null) ? properties : new Properties());
			// The driver's own reading of the URL and the properties, as for a new
			// connection.
			JdbcPropertySetImpl settings = new JdbcPropertySetImpl();
			settings.initializeProperties(url.getMainHost().exposeAsProperties());
			return new MySqlJdbcFailures(settings, url.getMainHost().getHostPortPair(), null, null, null, null);
		}
		catch (RuntimeException ex) {
			// The driver refuses the URL too, so its own failure is what the application
			// sees.
			return null;
		}
	}

	/**
	 * The driver words a lost connection with the time since the connection last sent and
	 * received a packet, which only the connection's protocol knows.
	 */
	@Override
	public JdbcFailures of(Connection physical) {
		try {
			JdbcConnection connection = physical.unwrap(JdbcConnection.class);
			if (connection.getSession() instanceof NativeSession session) {
				return new MySqlJdbcFailures(connection.getPropertySet(), this.server, session.getServerSession(),
						session.getProtocol().getPacketSentTimeHolder(),
						session.getProtocol().getPacketReceivedTimeHolder(), connection.getExceptionInterceptor());
			}
		}
		catch (SQLException | RuntimeException ex) {
			// Not the driver's own connection after all: what a new one would say.
		}
		return this;
	}

	/**
	 * A frozen server accepts the socket but never sends its handshake, which the driver
	 * waits for up to its {@code socketTimeout} (milliseconds).
	 */
	@Override
	public @Nullable Duration connectAttemptTimeout(@Nullable String jdbcUrl, @Nullable Properties properties) {
		Integer millis = this.properties.getIntegerProperty(PropertyKey.socketTimeout).getValue();
		return (millis != null && millis > 0) ? Duration.ofMillis(millis) : null;
	}

	/**
	 * The driver waits for the handshake no longer than
	 * {@link DriverManager#getLoginTimeout()} either, read when it connects.
	 */
	@Override
	public @Nullable Duration loginTimeout() {
		int seconds = DriverManager.getLoginTimeout();
		return (seconds > 0) ? Duration.ofSeconds(seconds) : null;
	}

	@Override
	public SQLException connectionRefused() {
		return communicationsFailure(new ConnectException("Connection refused"));
	}

	@Override
	public SQLException connectTimedOut() {
		return communicationsFailure(new SocketTimeoutException("Read timed out"));
	}

	/**
	 * Measured: a shutdown and a kill read alike, the server's socket closed under the
	 * driver before the 4 bytes of a packet's header.
	 */
	@Override
	public SQLException serverShutdown() {
		return communicationsFailure(new EOFException(Messages.getString("MysqlIO.EOF", new Object[] { 4, 0 })));
	}

	/**
	 * Measured (rows 7 and 8 of docs/fidelity-mysql.md): a reply the network lost reads
	 * as the server's socket closing under the driver.
	 */
	@Override
	public SQLException connectionLost() {
		return serverShutdown();
	}

	/**
	 * Measured (row 8 of docs/fidelity-mysql.md, a result fetched through a server-side
	 * cursor): the driver reads the end of the stream where the next fetch should be and
	 * reports it as a general error, not a communications failure.
	 */
	@Override
	public SQLException resultBroken() {
		String text = Messages.getString("MysqlIO.EOF", new Object[] { 4, 0 });
		return SQLError.createSQLException(text, MysqlErrorNumbers.SQLSTATE_CONNJ_GENERAL_ERROR, new EOFException(text),
				this.interceptor);
	}

	@Override
	public SQLException connectionClosed() {
		return SQLError.createSQLException(Messages.getString("Connection.2"),
				MysqlErrorNumbers.SQLSTATE_CONNECTION_EXCEPTION_CONNECTION_DOES_NOT_EXIST, this.interceptor);
	}

	@Override
	public SQLException socketTimeout() {
		return communicationsFailure(new SocketTimeoutException("Read timed out"));
	}

	@Override
	public SQLException interrupted() {
		return communicationsFailure(new InterruptedIOException("Interrupted while dbchaos held the call back"));
	}

	@Override
	public SQLException readOnly(String command) {
		return error(MariaDbErrors.READ_ONLY.sqlState(), MariaDbErrors.READ_ONLY.code(), null);
	}

	/**
	 * The server's error: its vendor code, and its usual text where the rule gives none
	 * and MariaDB's is known (see {@link MariaDbErrors}); a server's HY000 becomes the
	 * SQLState the driver's table has for the code.
	 */
	@Override
	public SQLException error(String sqlState, @Nullable Integer vendorCode, @Nullable String message) {
		int code = MariaDbErrors.codeOf(sqlState, vendorCode);
		String text = MariaDbErrors.messageOf(sqlState, vendorCode, message);
		String state = (GENERAL_ERROR.equals(sqlState) && code != 0) ? MysqlErrorNumbers.mysqlToSqlstate(code)
				: sqlState;
		return SQLError.createSQLException(text, state, code, false, null, this.interceptor);
	}

	/** The server is MariaDB, whichever driver talks to it. */
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
		try {
			return SQLError.createBatchUpdateException(failure, new long[0], this.interceptor);
		}
		catch (SQLException ex) {
			return ex;
		}
	}

	private SQLException communicationsFailure(Exception cause) {
		PacketSentTimeHolder sent = (this.sent != null) ? this.sent : new PacketSentTimeHolder() {
		};
		return SQLExceptionsMapping.translateException(ExceptionFactory.createCommunicationsException(this.properties,
				this.serverSession, sent, this.received, cause, this.interceptor), this.interceptor);
	}

	@Override
	public String toString() {
		return "MySQL Connector/J failures of " + this.server;
	}

}
