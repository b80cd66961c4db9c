package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Makes the exceptions a driver throws when its database fails, so that an injected fault
 * is indistinguishable from a real one to the application, its pool and its retry logic.
 *
 * @since 0.1.0
 * @see #forUrl(String)
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
	 * A write refused by a read-only server (SQLState 25006).
	 * @param command the refused command as the server names it, such as {@code INSERT}
	 * (see {@code SqlStatements.refusedCommand})
	 * @return the exception
	 */
	SQLException readOnly(String command);

	/**
	 * An error the server reported.
	 * @param sqlState the SQLState
	 * @param message the message, or {@code null} for the server's usual one
	 * @return the exception
	 */
	SQLException error(String sqlState, @Nullable String message);

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
	 * Return whether the server ends the session when it reports an SQLState on an open
	 * connection, as PostgreSQL does for its FATAL errors.
	 * @param sqlState the SQLState
	 * @return whether the connection is lost with the error
	 */
	default boolean endsSession(String sqlState) {
		return false;
	}

	/**
	 * An error that ends the session of an open connection: the error the server
	 * reported, with the I/O failure that followed it as the next exception. Only called
	 * when {@link #endsSession(String)} says so.
	 * @param sqlState the SQLState
	 * @param message the message, or {@code null} for the server's usual one
	 * @return the exception
	 */
	default SQLException sessionEnded(String sqlState, @Nullable String message) {
		return error(sqlState, message);
	}

	/**
	 * Leave the open transaction of a physical connection as the server leaves it after
	 * it reported an error, so that what the application does next in it fails or rolls
	 * back as it would. Does nothing where dbchaos does not know how the database
	 * behaves.
	 * @param connection the driver's connection, not in auto-commit mode
	 * @param sqlState the SQLState of the injected error
	 */
	default void abortTransaction(Connection connection, String sqlState) {
	}

	/**
	 * Return the failures of the driver a JDBC URL belongs to: PgJDBC's own exceptions
	 * for PostgreSQL when PgJDBC is on the class path, the standard {@link SQLException}
	 * subclasses otherwise.
	 * @param jdbcUrl the URL, or {@code null} if unknown
	 * @return the failures
	 */
	static JdbcFailures forUrl(@Nullable String jdbcUrl) {
		String server = JdbcUrls.server(jdbcUrl);
		if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:") && PgJdbcFailures.isAvailable()) {
			return new PgJdbcFailures(server, jdbcUrl);
		}
		return new StandardJdbcFailures(server);
	}

}
