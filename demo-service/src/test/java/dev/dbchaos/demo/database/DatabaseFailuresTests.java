package dev.dbchaos.demo.database;

import java.net.SocketTimeoutException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link DatabaseFailures} sorts failures whose rollback failed as well.
 *
 * @author dbchaos
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
		// Seen under load in NothingLostUnderChaosIT: a slow database answered 500 instead of 503.
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

	private static TransactionSystemException rollbackFailedAfter(Exception failure) {
		TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
				new PSQLException("This connection has been closed.", PSQLState.CONNECTION_DOES_NOT_EXIST));
		rollbackFailed.initApplicationException(failure);
		return rollbackFailed;
	}

}
