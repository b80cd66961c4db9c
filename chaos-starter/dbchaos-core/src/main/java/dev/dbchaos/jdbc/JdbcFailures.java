package dev.dbchaos.jdbc;

import java.io.EOFException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Makes the exceptions a driver throws when its database fails, so that an injected fault
 * is indistinguishable from a real one to the application, its pool and its retry logic.
 *
 * @since 0.1.0
 * @see #forUrl(String, Properties)
 */
public interface JdbcFailures {

	/**
	 * A new connection refused because nothing listens on the server's port (SQLState
	 * 08001).
	 * @return the exception
	 */
	SQLException connectionRefused();

	/**
	 * A new connection abandoned because the server accepted the socket but never
	 * answered, once the driver's socket timeout elapsed (SQLState 08001).
	 * @return the exception
	 */
	SQLException connectTimedOut();

	/**
	 * An open connection's call failed because the server shut down (SQLState 57P01, with
	 * the I/O failure that followed as the next exception).
	 * @return the exception
	 */
	SQLException serverShutdown();

	/**
	 * A call on a connection that is already closed (SQLState 08003).
	 * @return the exception
	 */
	SQLException connectionClosed();

	/**
	 * A call that waited on a frozen server until the driver's socket timeout (SQLState
	 * 08006).
	 * @return the exception
	 */
	SQLException socketTimeout();

	/**
	 * A call abandoned because the calling thread was interrupted while dbchaos held it
	 * back (SQLState 08006).
	 * @return the exception
	 */
	SQLException interrupted();

	/**
	 * A call whose connection the network dropped after the request reached the server:
	 * the driver reads the end of the stream where the reply should be (SQLState 08006 by
	 * default, in the standard exception class for it). What an ambiguous commit throws.
	 * @return the exception
	 */
	default SQLException connectionLost() {
		return new SQLNonTransientConnectionException("An I/O error occurred while sending to the backend.", "08006",
				new EOFException());
	}

	/**
	 * A read of a result's rows whose connection was lost while they streamed in: as
	 * {@link #connectionLost()} unless the driver says otherwise. What a result reset
	 * throws.
	 * @return the exception
	 */
	default SQLException resultBroken() {
		return connectionLost();
	}

	/**
	 * A write refused by a read-only server (SQLState 25006).
	 * @param command the refused command as the server names it, such as {@code INSERT}
	 * (see {@code SqlStatements.refusedCommand})
	 * @return the exception
	 */
	SQLException readOnly(String command);

	/**
	 * An error the server reported.
	 * @param sqlState the SQLState
	 * @param vendorCode the vendor code, or {@code null} for the server's usual one for
	 * the SQLState
	 * @param message the message, or {@code null} for the server's usual one
	 * @return the exception
	 */
	SQLException error(String sqlState, @Nullable Integer vendorCode, @Nullable String message);

	/**
	 * Return the failures of one physical connection, for drivers whose messages name the
	 * connection (MariaDB Connector/J's {@code (conn=12)}).
	 * @param physical the driver's connection, just opened
	 * @return the failures of that connection; these failures where nothing differs
	 */
	default JdbcFailures of(Connection physical) {
		return this;
	}

	/**
	 * Return how long one of the driver's attempts to open a connection waits for a
	 * server that accepted the socket but never answers: PgJDBC's {@code socketTimeout}.
	 * @param jdbcUrl the URL, may be {@code null}
	 * @param properties the connection properties, may be {@code null}
	 * @return the timeout, or {@code null} when only the {@link #loginTimeout() login
	 * timeout} or the fault's end ends the attempt
	 */
	default @Nullable Duration connectAttemptTimeout(@Nullable String jdbcUrl, @Nullable Properties properties) {
		return JdbcUrls.socketTimeout(jdbcUrl, properties);
	}

	/**
	 * Fail a batch as the driver does when its first entry fails: as PgJDBC's
	 * {@code BatchResultHandler} does unless a driver says otherwise. The message quotes
	 * that entry's statement. A prepared batch is quoted with its {@code ?} placeholders,
	 * where the driver would show the bound values, and the update counts stay empty, as
	 * the batch's size is not known here.
	 * @param failure the failure of the batch's first entry
	 * @param sql the statement text of the batch, {@code null} when it is not known
	 * @return the {@link BatchUpdateException} to throw
	 */
	default SQLException batchFailed(SQLException failure, @Nullable String sql) {
		String entry = (sql != null) ? sql : "<unknown>";
		BatchUpdateException batch = new BatchUpdateException(
				"Batch entry 0 " + entry + " was aborted: " + failure.getMessage()
						+ "  Call getNextException to see other errors in the batch.",
				failure.getSQLState(), failure.getErrorCode(), new long[0], failure);
		batch.setNextException(failure);
		return batch;
	}

	/**
	 * Return how many times the driver tries a server that accepts the socket but never
	 * answers before it gives a new connection up, each try lasting its socket timeout.
	 * @return the number of tries
	 */
	default int connectAttempts() {
		return 1;
	}

	/**
	 * Return the driver's login timeout, which ends a new connection's attempts even
	 * before its socket timeout does, read when a connection is being made.
	 * @return the timeout, or {@code null} if none or unknown
	 */
	default @Nullable Duration loginTimeout() {
		return null;
	}

	/**
	 * A new connection abandoned at the driver's {@link #loginTimeout() login timeout}.
	 * @return the exception
	 */
	default SQLException loginTimedOut() {
		return connectTimedOut();
	}

	/**
	 * Return whether the server ends the session when it reports an error on an open
	 * connection, as PostgreSQL does for its FATAL errors.
	 * @param sqlState the SQLState
	 * @param vendorCode the vendor code, {@code null} when the rule gives none
	 * @return whether the connection is lost with the error
	 */
	default boolean endsSession(String sqlState, @Nullable Integer vendorCode) {
		return false;
	}

	/**
	 * An error that ends the session of an open connection: the error the server
	 * reported, with the I/O failure that followed it as the next exception. Only called
	 * when {@link #endsSession(String, Integer)} says so.
	 * @param sqlState the SQLState
	 * @param vendorCode the vendor code, or {@code null} for the server's usual one
	 * @param message the message, or {@code null} for the server's usual one
	 * @return the exception
	 */
	default SQLException sessionEnded(String sqlState, @Nullable Integer vendorCode, @Nullable String message) {
		return error(sqlState, vendorCode, message);
	}

	/**
	 * Leave the open transaction of a physical connection as the server leaves it after
	 * it reported an error, so that what the application does next in it fails or rolls
	 * back as it would. Does nothing where dbchaos does not know how the database
	 * behaves.
	 * @param connection the driver's connection, not in auto-commit mode
	 * @param error the injected error
	 */
	default void abortTransaction(Connection connection, SQLException error) {
	}

	/**
	 * Return the failures of the driver a JDBC URL belongs to, when that driver is on the
	 * class path: PgJDBC's for {@code jdbc:postgresql:}, MariaDB Connector/J's for
	 * {@code jdbc:mariadb:} (and for {@code jdbc:mysql:} with {@code permitMysqlScheme},
	 * the only way MariaDB Connector/J takes such a URL), MySQL Connector/J's for the
	 * other {@code jdbc:mysql:} URLs (and for those with {@code permitMysqlScheme} where
	 * MariaDB Connector/J is absent); the standard {@link SQLException} subclasses
	 * otherwise.
	 * @param jdbcUrl the URL, or {@code null} if unknown
	 * @param properties the connection properties, or {@code null} if unknown
	 * @return the failures
	 */
	static JdbcFailures forUrl(@Nullable String jdbcUrl, @Nullable Properties properties) {
		String server = JdbcUrls.server(jdbcUrl);
		if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:") && PgJdbcFailures.isAvailable()) {
			return new PgJdbcFailures(server, jdbcUrl);
		}
		JdbcFailures mariaDb = MariaDbJdbcFailures.forUrl(jdbcUrl, properties);
		if (mariaDb != null) {
			return mariaDb;
		}
		JdbcFailures mySql = (jdbcUrl != null && jdbcUrl.startsWith("jdbc:mysql") && isMySqlConnectorJPresent())
				? MySqlJdbcFailures.forUrl(jdbcUrl, properties) : null;
		return (mySql != null) ? mySql : new StandardJdbcFailures(server);
	}

	/**
	 * Whether MySQL Connector/J is on the class path, asked here rather than in
	 * {@link MySqlJdbcFailures}, which cannot even be linked without it.
	 * @return whether the driver's exception factory can be loaded
	 */
	private static boolean isMySqlConnectorJPresent() {
		try {
			Class.forName("com.mysql.cj.jdbc.exceptions.SQLError", false, JdbcFailures.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
