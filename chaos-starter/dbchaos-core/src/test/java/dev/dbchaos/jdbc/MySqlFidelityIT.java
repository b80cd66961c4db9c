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
 * {@link FidelityIT}'s promise for MySQL Connector/J ({@code jdbc:mysql:}) against a real
 * MariaDB: the scenarios of {@link MariaDbFidelityIT} ({@link MySqlProtocolScenarios}),
 * each once against a really failing server and once against a healthy one with a rule
 * injecting the fault, through HikariCP with dbchaos beneath it and Spring's
 * {@link JdbcTemplate} on top, compared aspect by aspect in
 * {@code docs/fidelity-mysql.md}; a difference nobody explained fails the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MySqlFidelityIT {

	private static final String COMMAND = "./mvnw -Preports -pl chaos-starter/dbchaos-core -am install -Dit.test=MySqlFidelityIT";

	/** MySQL Connector/J's {@code socketTimeout}, in milliseconds. */
	private static final int SOCKET_TIMEOUT_MILLIS = 2000;

	/** As in {@link FidelityIT}: half the shortest timeout in play. */
	private static final double TIMING_TOLERANCE = 0.5;

	private static final FidelityTable table = new FidelityTable();

	/**
	 * The driver's account of a lost connection, which names how long ago the connection
	 * last sent and received a packet.
	 */
	private static final Explanation PACKET_TIMES = Explanation.normalized(
			"MySQL Connector/J says how many milliseconds ago the connection last sent and received a packet, "
					+ "which varies from run to run (dbchaos asks the connection's own clocks, as the driver does, "
					+ "but fails the call before it is sent); compared with the numbers of ms removed",
			(value) -> value.replaceAll("\\d[\\d,]* milliseconds ago", "N milliseconds ago"));

	/** What dbchaos cannot say about a batch it fails before the driver runs it. */
	private static final Explanation BATCH_SIZE_UNKNOWN = new Explanation(
			"MySQL Connector/J runs every entry (continueBatchOnError) and marks each failed one EXECUTE_FAILED "
					+ "(-3); dbchaos fails the batch before the driver and does not know its size, so it reports no "
					+ "counts",
			(real, injected) -> real.matches("\\[-3(, -3)*]") && injected.equals("[]"));

	/**
	 * What a connection whose result broke off does next, where the driver keeps it open.
	 */
	private static final Explanation KEPT_OPEN = new Explanation(
			"known limit: MySQL Connector/J keeps a connection whose cursor fetch broke open, failing its next use "
					+ "with a communications failure and reporting isClosed false; dbchaos ends it as PgJDBC does "
					+ "(08003, isClosed true). Through the pool both are evicted alike",
			(real, injected) -> real.contains("Communications link failure")
					&& (injected.contains("Connection is closed")
							|| injected.contains("No operations allowed after connection closed"))
					|| real.equals("false, false") && injected.equals("true, false"));

	/** What a second read of a result that broke off gives. */
	private static final Explanation SECOND_READ = new Explanation(
			"known limit: after the broken fetch MySQL Connector/J's next() returns again without an error; "
					+ "the result dbchaos broke belongs to the connection it closed, so the driver refuses it as "
					+ "closed",
			(real, injected) -> real.equals("no exception")
					&& injected.contains("Operation not allowed after ResultSet closed"));

	private static ManagedMariaDb mariadb;

	private static String serverVersion = "unknown";

	private static String driverVersion = "MySQL Connector/J";

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(5));

	private final FidelityPools pools = new FidelityPools(this.registry, mariadb.username(), mariadb.password(),
			(config) -> config.addDataSourceProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_MILLIS)));

	private final MySqlProtocolScenarios scenarios = new MySqlProtocolScenarios(mariadb, mariadb.mysqlJdbcUrl(),
			this.registry, this.pools);

	@BeforeAll
	static void startMariaDb() throws SQLException {
		mariadb = ManagedMariaDb.create();
		mariadb.start();
		try (Connection connection = DriverManager.getConnection(mariadb.mysqlJdbcUrl(), mariadb.username(),
				mariadb.password())) {
			assertThat(connection.getMetaData().getDriverName()).as("the driver that takes jdbc:mysql:")
				.startsWith("MySQL Connector/J");
			MySqlProtocolScenarios.createTable(connection);
			serverVersion = "MariaDB " + connection.getMetaData().getDatabaseProductVersion();
			// "mysql-connector-j-9.7.0 (Revision: ...)": the version is the part that
			// matters here.
			driverVersion = "MySQL Connector/J "
					+ connection.getMetaData().getDriverVersion().replaceFirst("^\\D*(\\d+(\\.\\d+)*).*$", "$1");
		}
	}

	@AfterAll
	static void writeTableAndCloseMariaDb() {
		try {
			table.write(Path.of("target", "reports", "docs", "fidelity-mysql.md"), "MySqlFidelityIT", COMMAND,
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
						BATCH_SIZE_UNKNOWN));
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
	 * MySQL Connector/J reads a whole result before {@code executeQuery} returns unless
	 * it is told to fetch it through a server-side cursor ({@code useCursorFetch=true}
	 * and a fetch size), as PgJDBC does in a transaction: only then can the network break
	 * a result in the middle, between two fetches.
	 */
	@Test
	@Order(14)
	void resultResetLosesTheConnectionMidResultAsANetworkCutBetweenTwoFetchesDoes() throws Exception {
		String url = mariadb.mysqlJdbcUrl();
		String cursorFetchUrl = url + (url.contains("?") ? "&" : "?") + "useCursorFetch=true";
		assertEquivalent(14,
				"8. result reset (network cut between two fetches, useCursorFetch=true, fetchSize="
						+ MySqlProtocolScenarios.STREAMED_FETCH_SIZE + ")",
				this.scenarios.resultReset(cursorFetchUrl),
				Map.of("later use, through Hikari", KEPT_OPEN, "beneath the pool: later use", KEPT_OPEN,
						"beneath the pool: isClosed, isValid", KEPT_OPEN, "beneath the pool: next() again",
						SECOND_READ));
	}

	@Test
	@Order(15)
	void lockMakesTheApplicationWaitUntilItsLockWaitTimeoutAsAnotherSessionsLockDoes() throws SQLException {
		assertEquivalent(15, "9. lock (LOCK TABLES … WRITE held by another session, lock_wait_timeout = 1)",
				this.scenarios.lock(), Map.of());
	}

	private void assertEquivalent(int order, String scenario, Observed observed, Map<String, Explanation> explained) {
		Map<String, Explanation> explanations = new HashMap<>(explained);
		for (String aspect : List.of("message", "next exceptions", "cause", "beneath the pool: first use",
				"beneath the pool: write", "beneath the pool: commit", "beneath the pool: next()",
				"beneath the pool: next() again")) {
			explanations.putIfAbsent(aspect, PACKET_TIMES);
		}
		explanations.putIfAbsent("fails after", Observe.timing(TIMING_TOLERANCE));
		for (String aspect : observed.real().keySet()) {
			if (aspect.endsWith("gives up after")) {
				explanations.putIfAbsent(aspect, Observe.timing(TIMING_TOLERANCE));
			}
		}
		List<String> mismatches = table.compare(order, scenario, observed.real(), observed.injected(), explanations);
		assertThat(mismatches).as("unexplained differences between real and injected").isEmpty();
	}

}
