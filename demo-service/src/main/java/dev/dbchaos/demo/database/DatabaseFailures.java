package dev.dbchaos.demo.database;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

/**
 * Sorts database failures into those worth another try, those that mean the database is
 * not there, and the rest (bugs and business rules, which neither retry nor open the
 * circuit). Decides on the SQLState (and, for MariaDB, the vendor code) found anywhere in
 * the cause chain, so it does not matter whether Spring, Hikari or the driver wrapped the
 * failure last.
 * <p>
 * PgJDBC and MariaDB Connector/J are sorted alike, by what each really throws (see
 * docs/fidelity-pgjdbc.md and docs/fidelity-mariadb.md): a lost connection is class 08
 * for both (PgJDBC's 08006 and 08003, MariaDB's 08000 "Socket error"), a frozen server a
 * {@link SocketTimeoutException} beneath either, a deadlock 40P01 or MariaDB's 40001
 * (vendor code 1213), and a read-only database 25006 or MariaDB's HY000 with vendor code
 * 1290.
 */
public final class DatabaseFailures {

	/**
	 * Deadlock victim (PostgreSQL's 40P01; MariaDB's 40001, vendor code 1213),
	 * serialization failure (40001), server shutting down, too many connections.
	 */
	private static final Set<String> TRANSIENT_SQL_STATES = Set.of("40001", "40P01", "57P01", "53300");

	/** Connection exceptions: the connection is gone or never came. */
	private static final String CONNECTION_EXCEPTION_CLASS = "08";

	/**
	 * MariaDB's {@code ER_OPTION_PREVENTS_STATEMENT}, SQLState HY000: "The MariaDB server
	 * is running with the --read-only option so it cannot execute this statement", a
	 * write on a server with {@code read_only} on, as after a fail-over to a replica.
	 * PostgreSQL says 25006 instead.
	 */
	private static final int MARIADB_READ_ONLY = 1290;

	private DatabaseFailures() {
	}

	/**
	 * Return whether another attempt may well succeed: a lost connection, a deadlock, a
	 * serialization failure, a server restart or a full server. Not a timeout: Hikari
	 * already spent its whole {@code connectionTimeout} retrying the connection, and a
	 * socket timeout means a hung server that another 5 s wait will not cure. Retrying
	 * either only makes the caller wait longer for the same answer.
	 * @param failure the failure
	 * @return whether to retry
	 */
	public static boolean isTransient(Throwable failure) {
		if (hasCause(failure, CallNotPermittedException.class) || isTimeout(failure)) {
			return false;
		}
		if (hasCause(failure, TransientDataAccessException.class)) {
			return true;
		}
		String sqlState = sqlStateOf(failure);
		return sqlState != null
				&& (sqlState.startsWith(CONNECTION_EXCEPTION_CLASS) || TRANSIENT_SQL_STATES.contains(sqlState));
	}

	/**
	 * Return whether the failure means the database cannot be used right now, which is
	 * what the circuit breaker counts and what the API answers with 503.
	 * @param failure the failure
	 * @return whether the database is unavailable
	 */
	public static boolean isUnavailable(Throwable failure) {
		return isTransient(failure) || isTimeout(failure) || hasCause(failure, CallNotPermittedException.class)
				|| hasCause(failure, DataAccessResourceFailureException.class)
				|| hasCause(failure, CannotCreateTransactionException.class)
				|| hasCause(failure, TransactionSystemException.class)
				// The transaction's deadline passed: a database too slow to use is
				// unavailable too.
				|| hasCause(failure, TransactionTimedOutException.class) || "57014".equals(sqlStateOf(failure))
				|| isReadOnly(failure) || isOperatorIntervention(sqlStateOf(failure));
	}

	/**
	 * A write refused by a read-only database: PostgreSQL's 25006 ("cannot execute INSERT
	 * in a read-only transaction"), or MariaDB's vendor code 1290, whose SQLState (HY000)
	 * says nothing. Not retried: the replica stays read-only until an operator acts.
	 * @param failure the failure
	 * @return whether the database refused a write as read-only
	 */
	private static boolean isReadOnly(Throwable failure) {
		if ("25006".equals(sqlStateOf(failure))) {
			return true;
		}
		for (Throwable candidate = failure; candidate != null; candidate = next(candidate)) {
			if (candidate instanceof SQLException sqlException && sqlException.getErrorCode() == MARIADB_READ_ONLY) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Class 57P: the server is shutting down (57P01), crashed (57P02: "terminating
	 * connection because of crash of another server process"), is starting up or
	 * recovering (57P03), or the database was dropped (57P04). Each is a database that
	 * cannot be used right now, not a bug of the shop: a 503, never a 500.
	 * @param sqlState the SQLState of the failure, or {@code null}
	 * @return whether the SQLState is of class 57P
	 */
	private static boolean isOperatorIntervention(String sqlState) {
		return sqlState != null && sqlState.startsWith("57P");
	}

	/**
	 * Describe a failure's cause chain on one line, with the SQLState of every SQL
	 * exception in it, as the log of a refused request shows it.
	 * @param failure the failure, or {@code null}
	 * @return the description, such as
	 * {@code QueryTimeoutException <- PSQLException [57014]:
	 * ERROR: canceling statement due to user request}
	 */
	public static String describe(Throwable failure) {
		StringBuilder description = new StringBuilder();
		for (Throwable candidate = failure; candidate != null; candidate = next(candidate)) {
			if (!description.isEmpty()) {
				description.append(" <- ");
			}
			description.append(candidate.getClass().getSimpleName());
			// Spring's own messages repeat the SQL; the driver's and the root cause's say
			// why.
			if (candidate instanceof SQLException sqlException) {
				if (sqlException.getSQLState() != null) {
					description.append(" [").append(sqlException.getSQLState()).append(']');
				}
				description.append(": ").append(sqlException.getMessage());
			}
			else if (next(candidate) == null) {
				description.append(": ").append(candidate.getMessage());
			}
		}
		return (!description.isEmpty()) ? description.toString() : "no cause";
	}

	private static boolean isTimeout(Throwable failure) {
		return hasCause(failure, SQLTransientConnectionException.class)
				|| hasCause(failure, SocketTimeoutException.class);
	}

	private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
		for (Throwable candidate = failure; candidate != null; candidate = next(candidate)) {
			if (type.isInstance(candidate)) {
				return true;
			}
		}
		return false;
	}

	private static String sqlStateOf(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = next(candidate)) {
			if (candidate instanceof SQLException sqlException && sqlException.getSQLState() != null) {
				return sqlException.getSQLState();
			}
		}
		return null;
	}

	private static Throwable next(Throwable failure) {
		// When the rollback after a failure fails too (as it does on a connection the
		// failure
		// closed), Spring throws the rollback's exception and keeps the failure aside:
		// judge the
		// failure, not the rollback's "connection closed" (08003), or a socket timeout on
		// a
		// frozen server would be retried as a lost connection, and wait its 5s three
		// times.
		if (failure instanceof TransactionSystemException rollbackFailure
				&& rollbackFailure.getApplicationException() != null) {
			return rollbackFailure.getApplicationException();
		}
		Throwable cause = failure.getCause();
		return (cause != failure) ? cause : null;
	}

}
