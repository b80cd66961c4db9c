package dev.dbchaos.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
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
 * {@link FidelityIT}'s promise for a driver of the MySQL protocol against a real MariaDB:
 * every scenario of {@link MySqlProtocolScenarios} runs once against a really failing
 * server and once against a healthy one with a rule injecting the fault, through HikariCP
 * with dbchaos beneath it and Spring's {@link JdbcTemplate} on top, and what the
 * application sees is compared aspect by aspect in the driver's table; a difference
 * nobody explained fails the test. A subclass owns the server and the table, and names
 * what its driver does differently for reasons it explains.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractMySqlProtocolFidelityIT {

	/** The drivers' {@code socketTimeout}, in milliseconds. */
	static final int SOCKET_TIMEOUT_MILLIS = 2000;

	/** As in {@link FidelityIT}: half the shortest timeout in play. */
	private static final double TIMING_TOLERANCE = 0.5;

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(5));

	private final FidelityPools pools = new FidelityPools(this.registry, server().username(), server().password(),
			(config) -> config.addDataSourceProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_MILLIS)));

	private final MySqlProtocolScenarios scenarios = new MySqlProtocolScenarios(server(), jdbcUrl(), this.registry,
			this.pools);

	/**
	 * Return the server the test class owns, started.
	 * @return the server
	 */
	abstract ManagedMariaDb server();

	/**
	 * Return the URL that chooses the driver.
	 * @return the URL
	 */
	abstract String jdbcUrl();

	/**
	 * Return the table the test class writes.
	 * @return the table
	 */
	abstract FidelityTable table();

	/**
	 * Return the explanation of what the driver puts in many of its texts and that varies
	 * from run to run, such as a connection's thread id.
	 * @return the explanation
	 */
	abstract Explanation varyingText();

	/**
	 * Return the aspects {@link #varyingText()} applies to.
	 * @return the aspects
	 */
	abstract List<String> aspectsWithVaryingText();

	/**
	 * Return what the driver reports differently about failed batches on a read-only
	 * server.
	 * @return the explanations by aspect
	 */
	abstract Map<String, Explanation> readOnlyBatches();

	/**
	 * Return how the driver's result reset is brought about for real, for the scenario's
	 * title, such as "network cut while the rows stream in".
	 * @return the description
	 */
	abstract String resultResetCut();

	/**
	 * Return the URL with what makes the driver read a result in parts, so that the
	 * network can break it in the middle.
	 * @return the URL
	 */
	abstract String streamingJdbcUrl();

	/**
	 * Return what the driver does differently after a result broke off.
	 * @return the explanations by aspect
	 */
	abstract Map<String, Explanation> resultResetDifferences();

	@AfterEach
	void closePools() {
		this.pools.close();
		// Whatever a failed test left behind, the next one gets a server that answers.
		server().thaw();
		server().start();
		server().setReadOnly(false);
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
				this.scenarios.openConnectionFailure(server()::stop, FaultSpec.builder(FaultType.OUTAGE).build()),
				Map.of());
	}

	@Test
	@Order(3)
	void outageBreaksAnOpenConnectionAsAServerCrashDoes() throws SQLException {
		assertEquivalent(3, "2b. outage, open connection (server killed)",
				this.scenarios.openConnectionFailure(server()::kill, FaultSpec.builder(FaultType.OUTAGE).build()),
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
		assertEquivalent(7, "4. read-only (SET GLOBAL read_only = 1)", this.scenarios.readOnly(), readOnlyBatches());
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

	@Test
	@Order(14)
	void resultResetLosesTheConnectionMidResultAsTheNetworkBreakingItDoes() throws Exception {
		assertEquivalent(14, "8. result reset (" + resultResetCut() + ", fetchSize="
				+ MySqlProtocolScenarios.STREAMED_FETCH_SIZE + ")", this.scenarios.resultReset(streamingJdbcUrl()),
				resultResetDifferences());
	}

	@Test
	@Order(15)
	void lockMakesTheApplicationWaitUntilItsLockWaitTimeoutAsAnotherSessionsLockDoes() throws SQLException {
		assertEquivalent(15, "9. lock (LOCK TABLES … WRITE held by another session, lock_wait_timeout = 1)",
				this.scenarios.lock(), Map.of());
	}

	private void assertEquivalent(int order, String scenario, Observed observed, Map<String, Explanation> explained) {
		Map<String, Explanation> explanations = new HashMap<>(explained);
		for (String aspect : aspectsWithVaryingText()) {
			explanations.putIfAbsent(aspect, varyingText());
		}
		explanations.putIfAbsent("fails after", Observe.timing(TIMING_TOLERANCE));
		for (String aspect : observed.real().keySet()) {
			if (aspect.endsWith("gives up after")) {
				explanations.putIfAbsent(aspect, Observe.timing(TIMING_TOLERANCE));
			}
		}
		List<String> mismatches = table().compare(order, scenario, observed.real(), observed.injected(), explanations);
		assertThat(mismatches).as("unexplained differences between real and injected").isEmpty();
	}

}
