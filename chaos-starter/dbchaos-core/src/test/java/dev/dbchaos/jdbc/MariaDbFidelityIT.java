package dev.dbchaos.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.jdbc.FidelityTable.Explanation;
import dev.dbchaos.jdbc.MySqlProtocolScenarios.Observed;
import dev.dbchaos.testdatabases.ManagedMariaDb;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FidelityIT}'s promise for MariaDB Connector/J: every scenario runs once against
 * a really failing MariaDB and once against a healthy one with a rule injecting the
 * fault, through HikariCP with dbchaos beneath it and Spring's {@link JdbcTemplate} on
 * top, and what the application sees is compared aspect by aspect in
 * {@code docs/fidelity-mariadb.md}; a difference nobody explained fails the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbFidelityIT {

	private static final String COMMAND = "./mvnw -Preports -pl chaos-starter/dbchaos-core -am install -Dit.test=MariaDbFidelityIT";

	/** MariaDB Connector/J's {@code socketTimeout}, in milliseconds. */
	private static final int SOCKET_TIMEOUT_MILLIS = 2000;

	/** As in {@link FidelityIT}: half the shortest timeout in play. */
	private static final double TIMING_TOLERANCE = 0.5;

	private static final FidelityTable table = new FidelityTable();

	/** What dbchaos cannot say about a batch it fails before the driver runs it. */
	private static final Explanation BATCH_SIZE_UNKNOWN = new Explanation(
			"MariaDB Connector/J marks every entry EXECUTE_FAILED (-3); dbchaos fails the batch before the driver "
					+ "and does not know its size, so it reports no counts",
			(real, injected) -> real.matches("\\[-3(, -3)*]") && injected.equals("[]"));

	/**
	 * How the driver nests a prepared batch's failure, which dbchaos, failing a batch
	 * before the driver runs it, cannot tell from a plain one.
	 */
	private static final Explanation PREPARED_BATCH_CAUSE = Explanation.normalized(
			"MariaDB Connector/J nests a second BatchUpdateException in the cause chain of a failed "
					+ "PreparedStatement batch; dbchaos fails the batch before the driver and chains the error "
					+ "directly, as the driver does for a Statement batch; compared without the nested one and "
					+ "the (conn=N)",
			(value) -> value.replaceAll("\\(conn=\\d+\\)", "(conn=N)")
				.replaceAll("cause: BatchUpdateException [^→]*→ ", "cause: "));

	/**
	 * The server's thread id of a connection, which the driver puts in its messages.
	 */
	private static final Explanation THREAD_ID = Explanation.normalized(
			"the driver names the server's thread of the connection, (conn=N), which differs from one connection "
					+ "to the next; compared with the numbers removed",
			(value) -> value.replaceAll("\\(conn=\\d+\\)", "(conn=N)"));

	private static ManagedMariaDb mariadb;

	private static String serverVersion = "unknown";

	private static String driverVersion = "MariaDB Connector/J";

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(5));

	private final FidelityPools pools = new FidelityPools(this.registry, mariadb.username(), mariadb.password(),
			(config) -> config.addDataSourceProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_MILLIS)));

	private final MySqlProtocolScenarios scenarios = new MySqlProtocolScenarios(mariadb, mariadb.jdbcUrl(),
			this.registry, this.pools);

	@BeforeAll
	static void startMariaDb() throws SQLException {
		mariadb = ManagedMariaDb.create();
		mariadb.start();
		try (Connection connection = DriverManager.getConnection(mariadb.jdbcUrl(), mariadb.username(),
				mariadb.password())) {
			MySqlProtocolScenarios.createTable(connection);
			serverVersion = "MariaDB " + connection.getMetaData().getDatabaseProductVersion();
			driverVersion = "MariaDB Connector/J " + connection.getMetaData().getDriverVersion();
		}
	}

	@AfterAll
	static void writeTableAndCloseMariaDb() {
		try {
			table.write(Path.of("target", "reports", "docs", "fidelity-mariadb.md"), "MariaDbFidelityIT", COMMAND,
					"MariaDB", serverVersion, driverVersion);
		}
		finally {
			if (mariadb != null) {
				mariadb.close();
			}
		}
	}

	@AfterEach
	void closePools() {
		this.pools.close();
		// Whatever a failed test left behind, the next one gets a server that answers.
		mariadb.thaw();
		mariadb.start();
		mariadb.setReadOnly(false);
	}

	@Test
	@Order(1)
	void outageRefusesNewConnectionsAsAStoppedServerDoes() {
		assertEquivalent(1, "1. outage, new connection (server stopped)", this.scenarios.outageOnNewConnection(),
				Map.of("message", Observe.HIKARI_WAIT));
	}

	@Test
	@Order(2)
	void outageBreaksAnOpenConnectionAsAServerShutdownDoes() throws SQLException {
		assertEquivalent(2, "2. outage, open connection (server stopped)",
				this.scenarios.openConnectionFailure(mariadb::stop, FaultSpec.builder(FaultType.OUTAGE).build()),
				Map.of());
	}

	@Test
	@Order(3)
	void outageBreaksAnOpenConnectionAsAServerCrashDoes() throws SQLException {
		assertEquivalent(3, "2b. outage, open connection (server killed)",
				this.scenarios.openConnectionFailure(mariadb::kill, FaultSpec.builder(FaultType.OUTAGE).build()),
				Map.of());
	}

	@Test
	@Order(4)
	void hangTimesOutAtTheSocketTimeoutAsAFrozenServerDoes() throws SQLException {
		Observed observed = this.scenarios.hangAtTheSocketTimeout();
		assertThat(Observe.seconds(observed.real().get("fails after"))).as("real call ends at the socket timeout")
			.isBetween(SOCKET_TIMEOUT_MILLIS / 1000.0 - 0.1, SOCKET_TIMEOUT_MILLIS / 1000.0 + 1.0);
		assertEquivalent(4, "3. hang (server frozen, socketTimeout=" + SOCKET_TIMEOUT_MILLIS + ")", observed, Map.of());
	}

	@Test
	@Order(5)
	void hangWithoutSocketTimeoutHoldsTheCallUntilTheServerAnswersAgain() throws Exception {
		assertEquivalent(5, "3b. hang (server frozen, no socketTimeout)", this.scenarios.hangWithoutSocketTimeout(),
				Map.of());
	}

	@Test
	@Order(6)
	void hangHoldsNewConnectionsBackAsAFrozenServerDoes() throws InterruptedException {
		assertEquivalent(6, "3c. hang, new connection (server frozen)", this.scenarios.hangOnNewConnection(),
				Map.of("message", Observe.HIKARI_WAIT));
	}

	@Test
	@Order(7)
	void readOnlyRefusesWritesAndAllowsReadsAsAReadOnlyServerDoes() throws SQLException {
		assertEquivalent(7, "4. read-only (SET GLOBAL read_only = 1)", this.scenarios.readOnly(),
				Map.of("Statement batch: update counts", BATCH_SIZE_UNKNOWN, "PreparedStatement batch: update counts",
						BATCH_SIZE_UNKNOWN, "PreparedStatement batch", PREPARED_BATCH_CAUSE));
	}

	@Test
	@Order(8)
	void deadlockErrorLooksLikeTwoTransactionsInADeadlock() throws Exception {
		assertEquivalent(8, "5a. error 1213/40001 (deadlock of two transactions)", this.scenarios.deadlock(), Map.of());
	}

	@Test
	@Order(9)
	void lockWaitTimeoutErrorLooksLikeARealLockWaitTimeout() throws Exception {
		assertEquivalent(9, "5b. error 1205/HY000 (innodb_lock_wait_timeout = 1)", this.scenarios.lockWaitTimeout(),
				Map.of());
	}

	@Test
	@Order(10)
	void duplicateKeyErrorLooksLikeARealDuplicateKey() throws SQLException {
		assertEquivalent(10, "5c. error 1062/23000 (duplicate key)", this.scenarios.duplicateKey(), Map.of());
	}

	@Test
	@Order(11)
	void poolReconnectsWithoutHelpAfterAnInjectedOutageAsAfterARealRestart() {
		assertEquivalent(11, "6. recovery after the outage", this.scenarios.recovery(), Map.of());
	}

	@Test
	@Order(12)
	void ambiguousCommitCommitsAndLosesTheConnectionAsANetworkCutAfterTheCommitDoes() throws Exception {
		assertEquivalent(12, "7. ambiguous commit (network cut after the COMMIT reached the server)",
				this.scenarios.ambiguousCommit(), Map.of());
	}

	@Test
	@Order(13)
	void ambiguousCommitOfAnAutoCommitWriteLooksLikeANetworkCutAfterTheWrite() throws Exception {
		assertEquivalent(13, "7b. ambiguous commit, write in auto-commit mode (network cut after the write)",
				this.scenarios.ambiguousAutoCommitWrite(), Map.of());
	}

	/**
	 * MariaDB sends a streamed result (a fetch size set) without being asked for each
	 * part, so the network is cut while the rows are on their way: the driver still reads
	 * those it has received.
	 */
	@Test
	@Order(14)
	void resultResetLosesTheConnectionMidResultAsANetworkCutWhileRowsStreamInDoes() throws Exception {
		Explanation inFlight = new Explanation(
				"the driver still reads the rows the network delivered before the cut, which dbchaos, breaking the "
						+ "result after exactly afterRows rows, does not hand out",
				(realValue, injectedValue) -> Integer.parseInt(realValue) >= Integer.parseInt(injectedValue));
		Explanation partialPacket = Explanation.normalized(
				"the real cut comes in the middle of a row, so the driver reads part of a packet before the end of "
						+ "the stream; dbchaos ends it between packets; compared with the byte counts removed",
				(value) -> value.replaceAll("read \\d+ bytes from \\d+", "read N bytes from M"));
		Explanation keptOpen = new Explanation(
				"known limit: MariaDB Connector/J keeps a connection whose stream broke open, failing each later use "
						+ "with the streaming error and reporting isClosed false; dbchaos ends it as PgJDBC does "
						+ "(08003, isClosed true). Through the pool both are evicted alike and fail the same",
				(realValue,
						injectedValue) -> realValue.contains("Error while streaming resultSet data")
								&& injectedValue.contains("Connection is closed")
								|| realValue.equals("false, false") && injectedValue.equals("true, false"));
		Explanation secondRead = new Explanation(
				"after the cut the driver hands out, from one run to the next, rows it had buffered before it "
						+ "(no exception) or the streaming error again; dbchaos gives the second",
				(realValue,
						injectedValue) -> (realValue.equals("no exception")
								|| realValue.contains("Error while streaming resultSet data"))
								&& injectedValue.contains("Error while streaming resultSet data"));
		assertEquivalent(14,
				"8. result reset (network cut while the rows stream in, fetchSize="
						+ MySqlProtocolScenarios.STREAMED_FETCH_SIZE + ")",
				this.scenarios.resultReset(mariadb.jdbcUrl()),
				Map.of("rows read before the failure", inFlight, "cause", partialPacket, "beneath the pool: later use",
						keptOpen, "beneath the pool: isClosed, isValid", keptOpen, "beneath the pool: next() again",
						secondRead));
	}

	@Test
	@Order(15)
	void lockMakesTheApplicationWaitUntilItsLockWaitTimeoutAsAnotherSessionsLockDoes() throws SQLException {
		assertEquivalent(15, "9. lock (LOCK TABLES … WRITE held by another session, lock_wait_timeout = 1)",
				this.scenarios.lock(), Map.of());
	}

	private void assertEquivalent(int order, String scenario, Observed observed, Map<String, Explanation> explained) {
		Map<String, String> real = observed.real();
		Map<String, String> injected = observed.injected();
		Map<String, Explanation> explanations = new HashMap<>(explained);
		for (String aspect : List.of("message", "next exceptions", "cause", "later use, through Hikari",
				"beneath the pool: first use", "beneath the pool: later use", "beneath the pool: commit",
				"beneath the pool: write", "beneath the pool: next()", "beneath the pool: next() again",
				"Spring exception", "same transaction: next statement", "same transaction: commit", "read", "UPDATE",
				"DELETE", "CREATE TABLE", "SELECT FOR UPDATE", "Statement batch", "PreparedStatement batch")) {
			explanations.putIfAbsent(aspect, THREAD_ID);
		}
		explanations.putIfAbsent("fails after", Observe.timing(TIMING_TOLERANCE));
		for (String aspect : real.keySet()) {
			if (aspect.endsWith("gives up after")) {
				explanations.putIfAbsent(aspect, Observe.timing(TIMING_TOLERANCE));
			}
		}
		List<String> mismatches = table.compare(order, scenario, real, injected, explanations);
		assertThat(mismatches).as("unexplained differences between real and injected").isEmpty();
	}

}
