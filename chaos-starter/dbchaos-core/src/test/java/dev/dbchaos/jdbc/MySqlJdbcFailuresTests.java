package dev.dbchaos.jdbc;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.Properties;

import com.mysql.cj.exceptions.CJCommunicationsException;
import com.mysql.cj.jdbc.exceptions.CommunicationsException;
import com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MySqlJdbcFailures}: the driver's own exceptions, for what the fidelity
 * table ({@link MySqlFidelityIT}) cannot show against a real server, such as the settings
 * read from the URL.
 */
class MySqlJdbcFailuresTests {

	private final JdbcFailures failures = failures("jdbc:mysql://db.example:3306/shop", null);

	@Test
	void aRefusedConnectionIsTheDriversCommunicationsFailureCausedByTheRefusal() {
		SQLException refused = this.failures.connectionRefused();
		assertThat((Throwable) refused).isInstanceOf(CommunicationsException.class)
			.hasMessage("Communications link failure\n\nThe last packet sent successfully to the server was 0 "
					+ "milliseconds ago. The driver has not received any packets from the server.");
		assertThat(refused.getSQLState()).isEqualTo("08S01");
		assertThat(refused.getCause()).isInstanceOf(CJCommunicationsException.class)
			.hasCauseInstanceOf(ConnectException.class);
	}

	@Test
	void aServerHy000BecomesTheSqlStateOfTheDriversTableAsForARealError() {
		SQLException lockWait = this.failures.error("HY000", 1205, null);
		assertThat((Throwable) lockWait).isInstanceOf(MySQLTransactionRollbackException.class)
			.hasMessage("Lock wait timeout exceeded; try restarting transaction");
		assertThat(lockWait.getSQLState()).isEqualTo("40001");
		assertThat(lockWait.getErrorCode()).isEqualTo(1205);
		SQLException readOnly = this.failures.readOnly("INSERT");
		assertThat(readOnly.getSQLState()).as("a code the driver's table does not map").isEqualTo("HY000");
		assertThat(readOnly.getErrorCode()).isEqualTo(1290);
	}

	@Test
	void anErrorWithOnlyASqlStateGetsMariaDbsUsualCodeAndText() {
		SQLException duplicate = this.failures.error("23000", null, null);
		assertThat((Throwable) duplicate).isInstanceOf(SQLIntegrityConstraintViolationException.class)
			.hasMessage("Duplicate entry '1' for key 'PRIMARY'");
		assertThat(duplicate.getErrorCode()).isEqualTo(1062);
	}

	@Test
	void aClosedConnectionIsTheDriversNoOperationsAllowed() {
		SQLException closed = this.failures.connectionClosed();
		assertThat((Throwable) closed).isInstanceOf(SQLNonTransientConnectionException.class)
			.hasMessage("No operations allowed after connection closed.");
		assertThat(closed.getSQLState()).isEqualTo("08003");
	}

	@Test
	void aSocketTimeoutIsACommunicationsFailureCausedByTheTimeout() {
		assertThat((Throwable) this.failures.socketTimeout()).isInstanceOf(CommunicationsException.class)
			.hasRootCauseInstanceOf(SocketTimeoutException.class);
	}

	@Test
	void aFailedBatchCarriesTheEntrysErrorAsItsCause() {
		SQLException error = this.failures.error("HY000", 1290, null);
		SQLException batch = this.failures.batchFailed(error, "insert into sneakers (name) values ('air')");
		assertThat((Throwable) batch).isInstanceOf(BatchUpdateException.class)
			.hasMessage(error.getMessage())
			.hasCause(error);
		assertThat(batch.getErrorCode()).isEqualTo(1290);
	}

	@Test
	void aNewConnectionToAFrozenServerWaitsTheSocketTimeoutInMilliseconds() {
		assertThat(failures("jdbc:mysql://db.example/shop?socketTimeout=2500", null).connectAttemptTimeout(null, null))
			.isEqualTo(Duration.ofMillis(2500));
		Properties properties = new Properties();
		properties.setProperty("socketTimeout", "1500");
		assertThat(failures("jdbc:mysql://db.example/shop", properties).connectAttemptTimeout(null, null))
			.isEqualTo(Duration.ofMillis(1500));
		assertThat(this.failures.connectAttemptTimeout(null, null)).as("no socketTimeout").isNull();
	}

	@Test
	void aUrlTheDriverRefusesGetsNoMySqlFailures() {
		assertThat(MySqlJdbcFailures.forUrl("jdbc:mariadb://db.example/shop", null)).isNull();
		assertThat(MySqlJdbcFailures.forUrl("jdbc:mysql://db.example/shop?socketTimeout=soon", null)).isNull();
	}

	private static JdbcFailures failures(String jdbcUrl, Properties properties) {
		JdbcFailures failures = MySqlJdbcFailures.forUrl(jdbcUrl, properties);
		assertThat(failures).as(jdbcUrl).isNotNull();
		return failures;
	}

}
