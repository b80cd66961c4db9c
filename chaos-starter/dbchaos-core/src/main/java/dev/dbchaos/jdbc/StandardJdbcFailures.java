package dev.dbchaos.jdbc;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;

import org.jspecify.annotations.Nullable;

/**
 * Failures as the standard {@link SQLException} subclasses, chosen by SQLState class as
 * the JDBC specification maps them. Used for drivers dbchaos has no closer imitation of.
 */
class StandardJdbcFailures implements JdbcFailures {

	private final String server;

	StandardJdbcFailures(String server) {
		this.server = server;
	}

	@Override
	public SQLException connectionRefused() {
		return new SQLTransientConnectionException("Connection to " + this.server + " refused", "08001",
				new ConnectException("Connection refused"));
	}

	@Override
	public SQLException connectTimedOut() {
		return new SQLTransientConnectionException("The connection attempt failed.", "08001",
				new SocketTimeoutException("Read timed out"));
	}

	@Override
	public SQLException serverShutdown() {
		return sessionEnded("57P01", null, null);
	}

	/**
	 * Only the operator interventions of SQLState class 57P end a session in every
	 * database dbchaos knows of.
	 */
	@Override
	public boolean endsSession(String sqlState, @Nullable Integer vendorCode) {
		return sqlState.startsWith("57P");
	}

	@Override
	public SQLException sessionEnded(String sqlState, @Nullable Integer vendorCode, @Nullable String message) {
		SQLException error = error(sqlState, vendorCode, message);
		error.setNextException(new SQLNonTransientConnectionException(
				"An I/O error occurred while sending to the backend.", "08006", new EOFException()));
		return error;
	}

	@Override
	public SQLException connectionClosed() {
		return new SQLNonTransientConnectionException("This connection has been closed.", "08003");
	}

	@Override
	public SQLException socketTimeout() {
		return new SQLNonTransientConnectionException("An I/O error occurred while sending to the backend.", "08006",
				new SocketTimeoutException("Read timed out"));
	}

	@Override
	public SQLException interrupted() {
		return new SQLNonTransientConnectionException("An I/O error occurred while sending to the backend.", "08006",
				new InterruptedIOException("Interrupted while dbchaos held the call back"));
	}

	@Override
	public SQLException readOnly(String command) {
		return new SQLException("cannot execute " + command + " in a read-only transaction", "25006");
	}

	@Override
	public SQLException error(String sqlState, @Nullable Integer vendorCode, @Nullable String message) {
		String text = (message != null) ? message : SqlStates.defaultMessage(sqlState);
		return create(sqlState, (vendorCode != null) ? vendorCode : 0, text);
	}

	private static SQLException create(String sqlState, int code, String message) {
		if (sqlState.equals("57014")) {
			return new SQLTimeoutException(message, sqlState, code);
		}
		if (sqlState.equals("08001") || sqlState.startsWith("57P") || sqlState.equals("53300")) {
			return new SQLTransientConnectionException(message, sqlState, code);
		}
		return switch (sqlState.substring(0, 2)) {
			case "08" -> new SQLNonTransientConnectionException(message, sqlState, code);
			case "0A" -> new SQLFeatureNotSupportedException(message, sqlState, code);
			case "22" -> new SQLDataException(message, sqlState, code);
			case "23" -> new SQLIntegrityConstraintViolationException(message, sqlState, code);
			case "28" -> new SQLInvalidAuthorizationSpecException(message, sqlState, code);
			case "40" -> new SQLTransactionRollbackException(message, sqlState, code);
			case "42" -> new SQLSyntaxErrorException(message, sqlState, code);
			default -> new SQLException(message, sqlState, code);
		};
	}

}
