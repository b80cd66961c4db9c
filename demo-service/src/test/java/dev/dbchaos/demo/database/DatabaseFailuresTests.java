package dev.dbchaos.demo.database;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link DatabaseFailures} sorts failures, also those whose rollback failed as well,
 * and how it describes them for the log.
 */
class DatabaseFailuresTests {

	@Test
	void socketTimeoutWhoseRollbackFoundTheConnectionClosedIsNotRetried() {
		PSQLException timeout = new PSQLException("An I/O error occurred while sending to the backend.",
				PSQLState.CONNECTION_FAILURE, new SocketTimeoutException("Read timed out"));
		TransactionSystemException rollbackFailed = rollbackFailedAfter(timeout);

		assertThat(DatabaseFailures.isTransient(rollbackFailed)).isFalse();
		assertThat(DatabaseFailures.isUnavailable(rollbackFailed)).isTrue();
	}

	@Test
	void deadlockWhoseRollbackFailedIsStillRetried() {
		PSQLException deadlock = new PSQLException("deadlock detected", PSQLState.DEADLOCK_DETECTED);

		assertThat(DatabaseFailures.isTransient(rollbackFailedAfter(deadlock))).isTrue();
	}

	@Test
	void transactionPastItsDeadlineIsTheDatabaseBeingUnavailableNotABug() {
		// Seen under load in NothingLostUnderChaosIT: a slow database answered 500
		// instead of 503.
		TransactionTimedOutException timedOut = new TransactionTimedOutException("Transaction timed out");
		assertThat(DatabaseFailures.isUnavailable(timedOut)).isTrue();
		assertThat(DatabaseFailures.isTransient(timedOut)).isFalse();
	}

	@Test
	void crashOfAnotherServerProcessIsTheDatabaseBeingUnavailableNotABug() {
		SQLException crash = new SQLException("terminating connection because of crash of another server process",
				"57P02");

		assertThat(DatabaseFailures.isUnavailable(crash)).isTrue();
		assertThat(DatabaseFailures.isUnavailable(new SQLException("the database system is starting up", "57P03")))
			.isTrue();
	}

	@Test
	void descriptionNamesEveryCauseWithTheDriversSqlStateAndMessage() {
		QueryTimeoutException timeout = new QueryTimeoutException("PreparedStatementCallback; SQL [SELECT 1]",
				new PSQLException("ERROR: canceling statement due to user request", PSQLState.QUERY_CANCELED));

		assertThat(DatabaseFailures.describe(timeout)).isEqualTo(
				"QueryTimeoutException <- PSQLException [57014]: ERROR: canceling statement due to user request");
	}

	@Test
	void descriptionOfARollbackFailureNamesTheFailureItFollowed() {
		PSQLException deadlock = new PSQLException("deadlock detected", PSQLState.DEADLOCK_DETECTED);

		assertThat(DatabaseFailures.describe(rollbackFailedAfter(deadlock)))
			.isEqualTo("TransactionSystemException <- PSQLException [40P01]: deadlock detected");
	}

	@Test
	void descriptionEndsWithTheMessageOfARootCauseThatIsNoSqlException() {
		assertThat(DatabaseFailures.describe(new IllegalStateException("no pool")))
			.isEqualTo("IllegalStateException: no pool");
		assertThat(DatabaseFailures.describe(null)).isEqualTo("no cause");
	}

	@Test
	void mariaDbLostConnectionIsRetried() {
		// What MariaDB Connector/J throws on a connection the server closed (stopped,
		// killed, KILL CONNECTION), as docs/fidelity-mariadb.md measured it.
		SQLException lost = new SQLNonTransientConnectionException("(conn=8) Socket error", "08000", -1,
				new EOFException("unexpected end of stream, read 0 bytes from 4 (socket was closed by server)"));

		assertThat(DatabaseFailures.isTransient(new DataAccessResourceFailureException("select", lost))).isTrue();
	}

	@Test
	void mariaDbSocketTimeoutOfAFrozenServerIsUnavailableAndNotRetried() {
		SQLException timedOut = new SQLNonTransientConnectionException("(conn=9) Socket timout error", "08000", -1,
				new SocketTimeoutException("Read timed out"));

		assertThat(DatabaseFailures.isTransient(timedOut)).isFalse();
		assertThat(DatabaseFailures.isUnavailable(timedOut)).isTrue();
	}

	@Test
	void mariaDbDeadlockIsRetried() {
		SQLException deadlock = new SQLTransactionRollbackException(
				"(conn=12) Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);

		assertThat(DatabaseFailures.isTransient(deadlock)).isTrue();
	}

	@Test
	void mariaDbReadOnlyServerIsUnavailableAndNotRetried() {
		SQLException readOnly = new SQLException(
				"(conn=33) The MariaDB server is running with the --read-only option so it cannot execute this statement",
				"HY000", 1290);
		UncategorizedSQLException translated = new UncategorizedSQLException("update", "UPDATE stock", readOnly);

		assertThat(DatabaseFailures.isUnavailable(translated)).isTrue();
		assertThat(DatabaseFailures.isTransient(translated)).isFalse();
	}

	@Test
	void mariaDbErrorWithAnotherVendorCodeIsABug() {
		SQLException unknownColumn = new SQLSyntaxErrorException("(conn=5) Unknown column 'nope' in 'field list'",
				"42S22", 1054);

		assertThat(DatabaseFailures.isUnavailable(unknownColumn)).isFalse();
	}

	private static TransactionSystemException rollbackFailedAfter(Exception failure) {
		TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
				new PSQLException("This connection has been closed.", PSQLState.CONNECTION_DOES_NOT_EXIST));
		rollbackFailed.initApplicationException(failure);
		return rollbackFailed;
	}

}
