package dev.dbchaos.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.jdbc.FidelityTable.Explanation;
import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.SqlFailures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

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

	/** How long a call to a frozen server without a socket timeout is watched. */
	private static final Duration WATCHED = Duration.ofSeconds(2);

	private static final String SELECT = Observe.SELECT;

	private static final String INSERT = Observe.INSERT;

	private static final FidelityTable table = new FidelityTable();

	/** Counts the rows a scenario wrote, straight on the server. */
	private static final Observe.RowCounter ROWS = Observe.RowCounter.on(MariaDbFidelityIT::connect);

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

	@BeforeAll
	static void startMariaDb() throws SQLException {
		mariadb = ManagedMariaDb.create();
		mariadb.start();
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("create table sneakers (id int auto_increment primary key, name varchar(100) not null)");
			statement.execute("insert into sneakers (name) values ('jordan'), ('air'), ('max')");
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
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl());
		Observe.evictAll(realPool);
		Map<String, String> real;
		mariadb.stop();
		try {
			real = Observe.failure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
			Observe.newPhysicalConnection(real, "beneath the pool", realPool);
		}
		finally {
			mariadb.start();
		}
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl());
		Observe.evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		Map<String, String> injected = Observe
			.failure(() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
		Observe.newPhysicalConnection(injected, "beneath the pool", injectedPool);
		assertEquivalent(1, "1. outage, new connection (server stopped)", real, injected,
				Map.of("message", Observe.HIKARI_WAIT));
	}

	@Test
	@Order(2)
	void outageBreaksAnOpenConnectionAsAServerShutdownDoes() throws SQLException {
		openConnectionFailure(2, "2. outage, open connection (server stopped)", mariadb::stop,
				FaultSpec.builder(FaultType.OUTAGE).build());
	}

	@Test
	@Order(3)
	void outageBreaksAnOpenConnectionAsAServerCrashDoes() throws SQLException {
		openConnectionFailure(3, "2b. outage, open connection (server killed)", mariadb::kill,
				FaultSpec.builder(FaultType.OUTAGE).build());
	}

	private void openConnectionFailure(int order, String scenario, Runnable failure, FaultSpec fault)
			throws SQLException {
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl());
		Map<String, String> real;
		try (Connection held = realPool.getConnection();
				Connection physical = realPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			failure.run();
			try {
				real = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
				Observe.laterUse(real, held, physical, realPool);
			}
			finally {
				mariadb.start();
			}
		}
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl());
		Map<String, String> injected;
		try (Connection held = injectedPool.getConnection();
				Connection physical = injectedPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			this.registry.add(fault);
			injected = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
			Observe.laterUse(injected, held, physical, injectedPool);
		}
		assertEquivalent(order, scenario, real, injected, Map.of());
	}

	@Test
	@Order(4)
	void hangTimesOutAtTheSocketTimeoutAsAFrozenServerDoes() throws SQLException {
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl());
		Map<String, String> real;
		try (Connection held = realPool.getConnection();
				Connection physical = realPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			mariadb.freeze();
			try {
				real = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
				Observe.beneathThePool(real, physical);
			}
			finally {
				mariadb.thaw();
			}
		}
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl());
		Map<String, String> injected;
		try (Connection held = injectedPool.getConnection();
				Connection physical = injectedPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			this.registry.add(FaultSpec.builder(FaultType.HANG).build());
			injected = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
			Observe.beneathThePool(injected, physical);
		}
		assertThat(Observe.seconds(real.get("fails after"))).as("real call ends at the socket timeout")
			.isBetween(SOCKET_TIMEOUT_MILLIS / 1000.0 - 0.1, SOCKET_TIMEOUT_MILLIS / 1000.0 + 1.0);
		assertEquivalent(4, "3. hang (server frozen, socketTimeout=" + SOCKET_TIMEOUT_MILLIS + ")", real, injected,
				Map.of());
	}

	/**
	 * Without a socket timeout nothing but the server's return ends a call: it is watched
	 * for a while, then the server thaws (or the fault ends), and the call goes on.
	 */
	@Test
	@Order(5)
	void hangWithoutSocketTimeoutHoldsTheCallUntilTheServerAnswersAgain() throws Exception {
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl(),
				(config) -> config.getDataSourceProperties().remove("socketTimeout"));
		Map<String, String> real = FidelityTable.observation();
		try (Connection held = realPool.getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			mariadb.freeze();
			try {
				observeHeldCall(real, onHeld, mariadb::thaw);
			}
			finally {
				mariadb.thaw();
			}
		}
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl(),
				(config) -> config.getDataSourceProperties().remove("socketTimeout"));
		Map<String, String> injected = FidelityTable.observation();
		try (Connection held = injectedPool.getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			String hang = this.registry.add(FaultSpec.builder(FaultType.HANG).build()).getId();
			observeHeldCall(injected, onHeld, () -> this.registry.remove(hang));
		}
		assertEquivalent(5, "3b. hang (server frozen, no socketTimeout)", real, injected, Map.of());
	}

	private static void observeHeldCall(Map<String, String> observation, JdbcTemplate onHeld, Runnable release)
			throws InterruptedException, ExecutionException {
		CompletableFuture<String> call = CompletableFuture
			.supplyAsync(() -> Observe.statement(() -> onHeld.queryForObject(SELECT, String.class)));
		try {
			observation.put("call after " + WATCHED.toSeconds() + " s",
					call.get(WATCHED.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (TimeoutException ex) {
			observation.put("call after " + WATCHED.toSeconds() + " s", "still waiting");
		}
		release.run();
		try {
			observation.put("once the server answers again", call.get(30, TimeUnit.SECONDS));
		}
		catch (TimeoutException ex) {
			observation.put("once the server answers again", "still waiting after 30 s");
		}
	}

	@Test
	@Order(6)
	void hangHoldsNewConnectionsBackAsAFrozenServerDoes() {
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl());
		HikariDataSource realConnectTimeoutPool = this.pools.started(mariadb.jdbcUrl() + "?connectTimeout=1000");
		Observe.evictAll(realPool);
		Map<String, String> real;
		mariadb.freeze();
		try {
			real = Observe.failure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
			observeNewPhysicalConnections(real, realPool, realConnectTimeoutPool);
		}
		finally {
			mariadb.thaw();
		}
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl());
		HikariDataSource injectedConnectTimeoutPool = this.pools.started(mariadb.jdbcUrl() + "?connectTimeout=1000");
		Observe.evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.HANG).build());
		Map<String, String> injected = Observe
			.failure(() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
		observeNewPhysicalConnections(injected, injectedPool, injectedConnectTimeoutPool);
		assertEquivalent(6, "3c. hang, new connection (server frozen)", real, injected,
				Map.of("message", Observe.HIKARI_WAIT));
	}

	/**
	 * How the driver gives a new connection up, beneath the pool: at its
	 * {@code connectTimeout}, which the DriverManager's login timeout sets when the URL
	 * does not (the driver's default, 30 s, is not waited for here).
	 */
	private static void observeNewPhysicalConnections(Map<String, String> observation, HikariDataSource pool,
			HikariDataSource connectTimeoutPool) {
		int loginTimeout = DriverManager.getLoginTimeout();
		DriverManager.setLoginTimeout(1);
		try {
			Observe.newPhysicalConnection(observation, "beneath the pool, DriverManager login timeout 1 s", pool);
		}
		finally {
			DriverManager.setLoginTimeout(loginTimeout);
		}
		Observe.newPhysicalConnection(observation, "beneath the pool, connectTimeout=1000 in the URL",
				connectTimeoutPool);
	}

	@Test
	@Order(7)
	void readOnlyRefusesWritesAndAllowsReadsAsAReadOnlyServerDoes() throws SQLException {
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl());
		JdbcTemplate realTemplate = new JdbcTemplate(realPool);
		Map<String, String> real;
		mariadb.setReadOnly(true);
		try {
			real = Observe.failure(() -> realTemplate.update(INSERT));
			Observe.otherStatements(real, realTemplate);
			observeTransactionAfterError(real, realPool, false, () -> {
			}, INSERT);
		}
		finally {
			mariadb.setReadOnly(false);
		}
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl());
		JdbcTemplate injectedTemplate = new JdbcTemplate(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.READ_ONLY).build());
		Map<String, String> injected = Observe.failure(() -> injectedTemplate.update(INSERT));
		Observe.otherStatements(injected, injectedTemplate);
		observeTransactionAfterError(injected, injectedPool, false, () -> {
		}, INSERT);
		assertEquivalent(7, "4. read-only (SET GLOBAL read_only = 1)", real, injected,
				Map.of("Statement batch: update counts", BATCH_SIZE_UNKNOWN, "PreparedStatement batch: update counts",
						BATCH_SIZE_UNKNOWN, "PreparedStatement batch", PREPARED_BATCH_CAUSE));
	}

	@Test
	@Order(8)
	@Disabled("The real deadlock of two transactions is not yet brought about reliably: the victim's update waited "
			+ "out its socketTimeout instead of failing with 1213, and the lock wait scenario then met the lock the "
			+ "abandoned session still held (issue #15; by hand the same server gives 1213/40001)")
	void deadlockErrorLooksLikeTwoTransactionsInADeadlock() throws Exception {
		String victim = "update sneakers set name = 'a' where id = 2";
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl());
		Map<String, String> real = FidelityTable.observation();
		try (Deadlock deadlock = new Deadlock()) {
			real.putAll(Observe.failure(() -> new TransactionTemplate(new DataSourceTransactionManager(realPool))
				.executeWithoutResult((status) -> {
					JdbcTemplate template = new JdbcTemplate(realPool);
					template.update("update sneakers set name = 'a' where id = 1");
					deadlock.waitForRowOne();
					template.update(victim);
				})));
		}
		try (Deadlock deadlock = new Deadlock()) {
			observeTransactionAfterError(real, realPool, deadlock::waitForRowOne, victim);
		}
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl());
		this.registry.add(FaultSpec.builder(FaultType.ERROR)
			.sqlState("40001")
			.vendorCode(1213)
			.operation(Operation.UPDATE)
			.sql("where id = 2$")
			.build());
		Map<String, String> injected = FidelityTable.observation();
		injected.putAll(Observe.failure(() -> new TransactionTemplate(new DataSourceTransactionManager(injectedPool))
			.executeWithoutResult((status) -> {
				JdbcTemplate template = new JdbcTemplate(injectedPool);
				template.update("update sneakers set name = 'a' where id = 1");
				template.update(victim);
			})));
		observeTransactionAfterError(injected, injectedPool, () -> {
		}, victim);
		assertEquivalent(8, "5a. error 1213/40001 (deadlock of two transactions)", real, injected, Map.of());
	}

	@Test
	@Order(9)
	@Disabled("The real deadlock of two transactions is not yet brought about reliably: the victim's update waited "
			+ "out its socketTimeout instead of failing with 1213, and the lock wait scenario then met the lock the "
			+ "abandoned session still held (issue #15; by hand the same server gives 1213/40001)")
	void lockWaitTimeoutErrorLooksLikeARealLockWaitTimeout() throws Exception {
		String blocked = "update sneakers set name = 'b' where id = 3";
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl(),
				(config) -> config.setConnectionInitSql("SET SESSION innodb_lock_wait_timeout = 1"));
		Map<String, String> real;
		try (Connection other = lockRowThree()) {
			real = Observe.failure(() -> new JdbcTemplate(realPool).update(blocked));
			observeTransactionAfterError(real, realPool, () -> {
			}, blocked);
			other.rollback();
		}
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl());
		// The real error comes when innodb_lock_wait_timeout runs out: a latency rule
		// before the error rule makes the injected one wait as long.
		this.registry.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofSeconds(1)).sql("id = 3$").build());
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("HY000").vendorCode(1205).sql("id = 3$").build());
		Map<String, String> injected = Observe.failure(() -> new JdbcTemplate(injectedPool).update(blocked));
		observeTransactionAfterError(injected, injectedPool, () -> {
		}, blocked);
		assertEquivalent(9, "5b. error 1205/HY000 (innodb_lock_wait_timeout = 1)", real, injected, Map.of());
	}

	@Test
	@Order(10)
	void duplicateKeyErrorLooksLikeARealDuplicateKey() throws SQLException {
		String duplicate = "insert into sneakers (id, name) values (1, 'again')";
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl());
		Map<String, String> real = Observe.failure(() -> new JdbcTemplate(realPool).update(duplicate));
		observeTransactionAfterError(real, realPool, () -> {
		}, duplicate);
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl());
		// No message: MariaDB's for the code, worded for the row of id 1.
		this.registry
			.add(FaultSpec.builder(FaultType.ERROR).sqlState("23000").vendorCode(1062).sql("values \\(1,").build());
		Map<String, String> injected = Observe.failure(() -> new JdbcTemplate(injectedPool).update(duplicate));
		observeTransactionAfterError(injected, injectedPool, () -> {
		}, duplicate);
		assertEquivalent(10, "5c. error 1062/23000 (duplicate key)", real, injected, Map.of());
	}

	@Test
	@Order(11)
	void poolReconnectsWithoutHelpAfterAnInjectedOutageAsAfterARealRestart() {
		JdbcTemplate realTemplate = new JdbcTemplate(this.pools.started(mariadb.jdbcUrl()));
		Map<String, String> real = FidelityTable.observation();
		mariadb.stop();
		try {
			real.put("query during the outage", Observe.outcome(realTemplate));
		}
		finally {
			mariadb.start();
		}
		real.put("same pool answers again, nothing reset", Observe.recovery(realTemplate));
		JdbcTemplate injectedTemplate = new JdbcTemplate(this.pools.started(mariadb.jdbcUrl()));
		Map<String, String> injected = FidelityTable.observation();
		String outage = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build()).getId();
		injected.put("query during the outage", Observe.outcome(injectedTemplate));
		this.registry.remove(outage);
		injected.put("same pool answers again, nothing reset", Observe.recovery(injectedTemplate));
		assertEquivalent(11, "6. recovery after the outage", real, injected, Map.of());
	}

	@Test
	@Order(12)
	void ambiguousCommitCommitsAndLosesTheConnectionAsANetworkCutAfterTheCommitDoes() throws Exception {
		Map<String, String> real = NetworkCut.observe(this.pools, mariadb.jdbcUrl(),
				(pool, network) -> Observe.lostCommitReply(pool, () -> network.afterReplyTo("COMMIT"), ROWS));
		Map<String, String> injected = Observe.lostCommitReply(this.pools.started(mariadb.jdbcUrl()),
				() -> this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).count(1).build()), ROWS);
		assertEquivalent(12, "7. ambiguous commit (network cut after the COMMIT reached the server)", real, injected,
				Map.of());
	}

	@Test
	@Order(13)
	void ambiguousCommitOfAnAutoCommitWriteLooksLikeANetworkCutAfterTheWrite() throws Exception {
		String write = "insert into sneakers";
		Map<String, String> real = NetworkCut.observe(this.pools, mariadb.jdbcUrl(),
				(pool, network) -> Observe.lostAutoCommitReply(pool, () -> network.afterReplyTo(write), ROWS));
		Map<String, String> injected = Observe.lostAutoCommitReply(this.pools.started(mariadb.jdbcUrl()),
				() -> this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).sql(write).count(1).build()),
				ROWS);
		assertEquivalent(13, "7b. ambiguous commit, write in auto-commit mode (network cut after the write)", real,
				injected, Map.of());
	}

	/**
	 * MariaDB sends a streamed result (a fetch size set) without being asked for each
	 * part, so the network is cut while the rows are on their way: the driver still reads
	 * those it has received. Rows of 100 kB keep that to the few the sockets' buffers
	 * hold.
	 */
	@Test
	@Order(14)
	void resultResetLosesTheConnectionMidResultAsANetworkCutWhileRowsStreamInDoes() throws Exception {
		String query = "select seq, repeat('x', 100000) from seq_1_to_400";
		int fetchSize = 10;
		Map<String, String> real = NetworkCut.observe(this.pools, mariadb.jdbcUrl(),
				(pool, network) -> Observe.brokenResult(pool, query, fetchSize, network::now));
		this.registry.add(FaultSpec.builder(FaultType.RESULT_RESET).afterRows(fetchSize).sql("seq_1_to").build());
		Map<String, String> injected = Observe.brokenResult(this.pools.started(mariadb.jdbcUrl()), query, fetchSize,
				() -> {
				});
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
		assertEquivalent(14, "8. result reset (network cut while the rows stream in, fetchSize=" + fetchSize + ")",
				real, injected,
				Map.of("rows read before the failure", inFlight, "cause", partialPacket, "beneath the pool: later use",
						keptOpen, "beneath the pool: isClosed, isValid", keptOpen, "beneath the pool: next() again",
						secondRead));
	}

	/**
	 * What an application that catches the error and carries on in the same transaction
	 * meets: MariaDB rolls back the whole transaction after a deadlock, only the failed
	 * statement after its other errors. A row the transaction wrote before the error
	 * tells which.
	 */
	private static void observeTransactionAfterError(Map<String, String> observation, HikariDataSource pool,
			Runnable conflict, String failing) throws SQLException {
		observeTransactionAfterError(observation, pool, true, conflict, failing);
	}

	private static void observeTransactionAfterError(Map<String, String> observation, HikariDataSource pool,
			boolean writeBefore, Runnable conflict, String failing) throws SQLException {
		try (Connection connection = pool.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				if (writeBefore) {
					statement.executeUpdate("insert into sneakers (name) values ('written before the error')");
					statement.executeUpdate("update sneakers set name = 'a' where id = 1");
				}
				else {
					statement.executeQuery(SELECT).close();
				}
				conflict.run();
				SQLException failure = catchThrowableOfType(SQLException.class, () -> statement.execute(failing));
				assertThat((Throwable) failure).as("the statement in a transaction").isNotNull();
				observation.put("same transaction: next statement", SqlFailures
					.describe(catchThrowableOfType(SQLException.class, () -> statement.executeQuery(SELECT))));
				observation.put("same transaction: commit",
						SqlFailures.describe(catchThrowableOfType(SQLException.class, connection::commit)));
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
			if (writeBefore) {
				try (Statement statement = connection.createStatement()) {
					int written = statement
						.executeUpdate("delete from sneakers where name = 'written before the error'");
					observation.put("same transaction: the write before the error, after the commit",
							(written > 0) ? "committed" : "rolled back");
				}
			}
		}
	}

	/** Another client's transaction holding row 3. */
	private static Connection lockRowThree() throws SQLException {
		Connection other = connect();
		other.setAutoCommit(false);
		try (Statement statement = other.createStatement()) {
			statement.executeUpdate("update sneakers set name = 'locked' where id = 3");
		}
		return other;
	}

	@Test
	@Order(15)
	void lockMakesTheApplicationWaitUntilItsLockWaitTimeoutAsAnotherSessionsLockDoes() throws SQLException {
		String update = "update sneakers set name = 'dunk' where id = 1";
		Consumer<HikariConfig> lockWaitTimeout = (config) -> config
			.setConnectionInitSql("SET SESSION lock_wait_timeout = 1");
		HikariDataSource realPool = this.pools.started(mariadb.jdbcUrl(), lockWaitTimeout);
		Map<String, String> real;
		try (Connection migration = connect(); Statement statement = migration.createStatement()) {
			statement.execute("lock tables sneakers write");
			real = Observe.failure(() -> new JdbcTemplate(realPool).update(update));
			statement.execute("unlock tables");
		}
		HikariDataSource injectedPool = this.pools.started(mariadb.jdbcUrl(), lockWaitTimeout);
		FaultRule lock = this.registry.add(FaultSpec.builder(FaultType.LOCK).table("sneakers").build());
		Map<String, String> injected = Observe.failure(() -> new JdbcTemplate(injectedPool).update(update));
		this.registry.remove(lock.getId());
		assertEquivalent(15, "9. lock (LOCK TABLES … WRITE held by another session, lock_wait_timeout = 1)", real,
				injected, Map.of());
	}

	private void assertEquivalent(int order, String scenario, Map<String, String> real, Map<String, String> injected,
			Map<String, Explanation> explained) {
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

	private static Connection connect() throws SQLException {
		return DriverManager.getConnection(mariadb.jdbcUrl(), mariadb.username(), mariadb.password());
	}

	/**
	 * Another transaction in the way of the deadlock's victim: it holds row 2, then waits
	 * for row 1, which the victim holds, closing the cycle. It writes more rows than the
	 * victim, so that InnoDB, which rolls back the transaction that did the least, picks
	 * the victim.
	 */
	private static final class Deadlock implements AutoCloseable {

		private final Connection other;

		private CompletableFuture<Void> waiting = CompletableFuture.completedFuture(null);

		Deadlock() throws SQLException {
			this.other = connect();
			this.other.setAutoCommit(false);
			try (Statement statement = this.other.createStatement()) {
				statement.executeUpdate("update sneakers set name = 'b' where id = 2");
				statement.executeUpdate("insert into sneakers (name) values ('weight'), ('weight'), ('weight'), "
						+ "('weight'), ('weight'), ('weight'), ('weight'), ('weight')");
			}
		}

		/**
		 * Have the other transaction wait for row 1, and return once it does.
		 */
		void waitForRowOne() {
			this.waiting = CompletableFuture.runAsync(() -> {
				try (Statement statement = this.other.createStatement()) {
					statement.executeUpdate("update sneakers set name = 'b' where id = 1");
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			try (Connection watcher = connect()) {
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> lockWaits(watcher) > 0);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static int lockWaits(Connection watcher) throws SQLException {
			try (Statement statement = watcher.createStatement();
					ResultSet result = statement
						.executeQuery("select count(*) from information_schema.innodb_lock_waits")) {
				result.next();
				return result.getInt(1);
			}
		}

		@Override
		public void close() throws Exception {
			try {
				this.waiting.get(10, TimeUnit.SECONDS);
			}
			finally {
				this.other.rollback();
				this.other.close();
			}
		}

	}

}
