package dev.dbchaos.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.jdbc.FidelityTable.Explanation;
import dev.dbchaos.testdatabases.LocalManagedPostgres;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds dbchaos to its promise that an injected fault looks to the application exactly
 * like the real failure: every scenario runs once against a really failing PostgreSQL and
 * once against a healthy one with a rule injecting the fault, through the same stack
 * (HikariCP with dbchaos beneath it, as the starter installs it, and Spring's
 * {@link JdbcTemplate} on top). What the application sees is compared aspect by aspect
 * and written to {@code docs/fidelity-pgjdbc.md}; a difference nobody explained fails the
 * test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FidelityIT {

	private static final String COMMAND = "./mvnw -Preports -pl chaos-starter/dbchaos-core -am install -Dit.test=FidelityIT";

	/**
	 * PgJDBC's {@code socketTimeout}, in seconds: what ends a call to a frozen server.
	 */
	private static final int SOCKET_TIMEOUT = 2;

	/**
	 * How far apart, in seconds, the real and the injected failure may come: half the
	 * shortest timeout in play (1 s: the connection timeout and the driver's
	 * loginTimeout), so that which timeout ended the wait still tells them apart, while a
	 * busy machine's delays do not.
	 */
	private static final double TIMING_TOLERANCE = 0.5;

	/** Few enough that the too-many-clients scenario fills them quickly. */
	private static final int MAX_CONNECTIONS = 20;

	private static final String SELECT = Observe.SELECT;

	private static final String INSERT = Observe.INSERT;

	/** A read that writes: nothing but the server can tell. */
	private static final String NEXTVAL = "select nextval('sneakers_id_seq')";

	private static final FidelityTable table = new FidelityTable();

	/**
	 * Where in its C code the server raised the error, which only its own version knows.
	 */
	private static final Explanation SOURCE_LOCATION = new Explanation(
			"the server's C source location (routine, file, line) changes with every PostgreSQL release; "
					+ "dbchaos leaves it out rather than invent one",
			(real, injected) -> injected.equals("null in null:0"));

	/** What dbchaos cannot say about a batch it fails before the driver runs it. */
	private static final Explanation BATCH_SIZE_UNKNOWN = new Explanation(
			"PgJDBC marks every entry EXECUTE_FAILED (-3); dbchaos fails the batch before the driver and "
					+ "does not know its size, so it reports no counts",
			(real, injected) -> real.matches("\\[-3(, -3)*]") && injected.equals("[]"));

	private static ManagedPostgres postgres;

	/** Counts the rows a scenario wrote, straight on the server. */
	private static final Observe.RowCounter ROWS = Observe.RowCounter.on(() -> connect(postgres.jdbcUrl()));

	private static String readOnlyUrl;

	/** What the real failures came from, as the server reports itself. */
	private static String serverVersion = "unknown";

	/** The driver the application sees failing. */
	private static String driverVersion = "PgJDBC";

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(5));

	private final FidelityPools pools = new FidelityPools(this.registry, postgres.username(), postgres.password(),
			(config) -> config.addDataSourceProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT)));

	@BeforeAll
	static void startPostgres() throws SQLException {
		postgres = ManagedPostgres.create();
		postgres.start();
		// No reserved slots, so that a full server answers with PostgreSQL's plain "too
		// many
		// clients" rather than the message about slots reserved for superusers.
		asSuperuser("ALTER SYSTEM SET max_connections = " + MAX_CONNECTIONS,
				"ALTER SYSTEM SET superuser_reserved_connections = 0");
		postgres.stop();
		postgres.start();
		createSneakers(postgres.jdbcUrl());
		try (Connection connection = connect(postgres.jdbcUrl());
				Statement statement = connection.createStatement();
				var result = statement.executeQuery("SELECT 'PostgreSQL ' || current_setting('server_version')")) {
			result.next();
			serverVersion = result.getString(1);
			driverVersion = "PgJDBC " + connection.getMetaData().getDriverVersion();
		}
		// A database every session of which is read-only, as a hot standby or a database
		// switched read-only before a failover looks to its clients.
		readOnlyUrl = postgres.createDatabase("fidelity_read_only");
		createSneakers(readOnlyUrl);
		try (Connection connection = connect(readOnlyUrl); Statement statement = connection.createStatement()) {
			statement.execute("ALTER DATABASE fidelity_read_only SET default_transaction_read_only = on");
		}
	}

	@AfterAll
	static void writeTableAndClosePostgres() {
		try {
			// Under target/: the reports profile copies it to docs/ once the whole build
			// has passed.
			table.write(Path.of("target", "reports", "docs", "fidelity-pgjdbc.md"), "FidelityIT", COMMAND, "PostgreSQL",
					serverVersion, driverVersion);
		}
		finally {
			if (postgres != null) {
				postgres.close();
			}
		}
	}

	@AfterEach
	void closePools() {
		this.pools.close();
		// Whatever a failed test left behind, the next one gets a server that answers.
		postgres.start();
	}

	@Test
	@Order(1)
	void outageRefusesNewConnectionsAsAStoppedServerDoes() {
		HikariDataSource realPool = this.pools.started(postgres.jdbcUrl());
		Observe.evictAll(realPool);
		Map<String, String> real;
		postgres.stop();
		try {
			real = Observe.failure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
		}
		finally {
			postgres.start();
		}
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl());
		Observe.evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		Map<String, String> injected = Observe
			.failure(() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
		assertEquivalent(1, "1. outage, new connection (server stopped)", real, injected,
				Map.of("message", Observe.HIKARI_WAIT, "fails after", Observe.timing(TIMING_TOLERANCE)));
	}

	@Test
	@Order(2)
	void outageBreaksAnOpenConnectionAsAServerShutdownDoes() throws SQLException {
		HikariDataSource realPool = this.pools.started(postgres.jdbcUrl());
		Map<String, String> real;
		try (Connection held = realPool.getConnection();
				Connection physical = realPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			postgres.stop();
			try {
				real = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
				Observe.laterUse(real, held, physical, realPool);
			}
			finally {
				postgres.start();
			}
		}
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl());
		Map<String, String> injected;
		try (Connection held = injectedPool.getConnection();
				Connection physical = injectedPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
			injected = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
			Observe.laterUse(injected, held, physical, injectedPool);
		}
		assertEquivalent(2, "2. outage, open connection (server stopped)", real, injected, Map.of());
	}

	@Test
	@Order(3)
	void hangTimesOutAtTheSocketTimeoutAsAFrozenServerDoes() throws SQLException {
		HikariDataSource realPool = this.pools.started(postgres.jdbcUrl());
		Map<String, String> real;
		try (Connection held = realPool.getConnection();
				Connection physical = realPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			postgres.freeze();
			try {
				real = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
				Observe.beneathThePool(real, physical);
			}
			finally {
				postgres.thaw();
			}
		}
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl());
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
			.isBetween(SOCKET_TIMEOUT - 0.1, SOCKET_TIMEOUT + 1.0);
		assertEquivalent(3, "3. hang (server frozen, socketTimeout=" + SOCKET_TIMEOUT + "s)", real, injected,
				Map.of("fails after", Observe.timing(TIMING_TOLERANCE)));
	}

	@Test
	@Order(4)
	void hangHoldsNewConnectionsBackAsAFrozenServerDoes() throws SQLException {
		// Longer than the driver's two tries (sslmode=prefer) of one socket timeout each,
		// so
		// that Hikari's timeout carries the driver's failure; a short socket timeout
		// keeps it quick.
		Consumer<HikariConfig> connectionTimeout = (config) -> {
			config.setConnectionTimeout(3000);
			config.addDataSourceProperty("socketTimeout", "1");
		};
		HikariDataSource realPool = this.pools.started(postgres.jdbcUrl(), connectionTimeout);
		HikariDataSource realLoginTimeoutPool = this.pools.started(postgres.jdbcUrl() + "?loginTimeout=1");
		Observe.evictAll(realPool);
		Map<String, String> real;
		postgres.freeze();
		try {
			real = Observe.failure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
			observeNewPhysicalConnections(real, realPool, realLoginTimeoutPool);
		}
		finally {
			postgres.thaw();
		}
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl(), connectionTimeout);
		HikariDataSource injectedLoginTimeoutPool = this.pools.started(postgres.jdbcUrl() + "?loginTimeout=1");
		Observe.evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.HANG).build());
		Map<String, String> injected = Observe
			.failure(() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
		observeNewPhysicalConnections(injected, injectedPool, injectedLoginTimeoutPool);
		assertEquivalent(4, "3b. hang, new connection (server frozen)", real, injected,
				Map.of("message", Observe.HIKARI_WAIT, "fails after", Observe.timing(TIMING_TOLERANCE),
						"beneath the pool: gives up after", Observe.timing(TIMING_TOLERANCE),
						"beneath the pool, DriverManager login timeout 1 s: gives up after",
						Observe.timing(TIMING_TOLERANCE), "beneath the pool, loginTimeout=1 in the URL: gives up after",
						Observe.timing(TIMING_TOLERANCE)));
	}

	/**
	 * How the driver gives a new connection up, beneath the pool: at its socket timeouts,
	 * or at its login timeout when that comes first. PgJDBC ignores the DriverManager's,
	 * which is the one HikariCP sets.
	 */
	private static void observeNewPhysicalConnections(Map<String, String> observation, HikariDataSource pool,
			HikariDataSource loginTimeoutPool) {
		Observe.newPhysicalConnection(observation, "beneath the pool", pool);
		int loginTimeout = DriverManager.getLoginTimeout();
		DriverManager.setLoginTimeout(1);
		try {
			Observe.newPhysicalConnection(observation, "beneath the pool, DriverManager login timeout 1 s", pool);
		}
		finally {
			DriverManager.setLoginTimeout(loginTimeout);
		}
		Observe.newPhysicalConnection(observation, "beneath the pool, loginTimeout=1 in the URL", loginTimeoutPool);
	}

	@Test
	@Order(5)
	void readOnlyRefusesWritesAndAllowsReadsAsAReadOnlyDatabaseDoes() throws SQLException {
		HikariDataSource realPool = this.pools.started(readOnlyUrl);
		JdbcTemplate realTemplate = new JdbcTemplate(realPool);
		Map<String, String> real = Observe.failure(() -> realTemplate.update(INSERT));
		Observe.otherStatements(real, realTemplate);
		real.put("nextval()", Observe.statement(() -> realTemplate.queryForObject(NEXTVAL, Long.class)));
		Observe.transactionAfterError(real, realPool, Connection.TRANSACTION_READ_COMMITTED, () -> {
		}, INSERT);
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl());
		JdbcTemplate injectedTemplate = new JdbcTemplate(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.READ_ONLY).build());
		Map<String, String> injected = Observe.failure(() -> injectedTemplate.update(INSERT));
		Observe.otherStatements(injected, injectedTemplate);
		injected.put("nextval()", Observe.statement(() -> injectedTemplate.queryForObject(NEXTVAL, Long.class)));
		Observe.transactionAfterError(injected, injectedPool, Connection.TRANSACTION_READ_COMMITTED, () -> {
		}, INSERT);
		assertEquivalent(5, "4. read-only (default_transaction_read_only)", real, injected,
				Map.of("PreparedStatement batch", Explanation.normalized("PgJDBC quotes the failed entry with its "
						+ "parameters bound; dbchaos fails the batch before the driver sees it and quotes the entry "
						+ "with its ? placeholders", FidelityIT::withoutQuotedBatchEntry),
						"Statement batch: update counts", BATCH_SIZE_UNKNOWN, "PreparedStatement batch: update counts",
						BATCH_SIZE_UNKNOWN, "nextval()",
						new Explanation(
								"known limit: a read-only rule judges the statement text, "
										+ "so it cannot know that a function called from a SELECT writes",
								(realValue, injectedValue) -> realValue.contains("25006")
										&& injectedValue.startsWith("succeeds"))));
	}

	@Test
	@Order(6)
	void serializationFailureErrorLooksLikeTwoConflictingSerializableTransactions() throws SQLException {
		String update = "update sneakers set name = 'max' where id = 1";
		HikariDataSource realPool = this.pools.started(postgres.jdbcUrl());
		Map<String, String> real = Observe.failure(() -> serializable(realPool).executeWithoutResult((status) -> {
			JdbcTemplate template = new JdbcTemplate(realPool);
			// The first read takes the transaction's snapshot; the row changes after it.
			template.queryForObject(SELECT, String.class);
			commitConcurrentUpdate();
			template.update(update);
		}));
		Observe.transactionAfterError(real, realPool, Connection.TRANSACTION_SERIALIZABLE,
				FidelityIT::commitConcurrentUpdate, update);
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl());
		this.registry.add(FaultSpec.builder(FaultType.ERROR)
			.sqlState("40001")
			.operation(Operation.UPDATE)
			.sql("^update")
			.build());
		Map<String, String> injected = Observe
			.failure(() -> serializable(injectedPool).executeWithoutResult((status) -> {
				JdbcTemplate template = new JdbcTemplate(injectedPool);
				template.queryForObject(SELECT, String.class);
				template.update(update);
			}));
		Observe.transactionAfterError(injected, injectedPool, Connection.TRANSACTION_SERIALIZABLE, () -> {
		}, update);
		assertEquivalent(6, "5a. error 40001 (serializable transactions in conflict)", real, injected, Map.of());
	}

	@Test
	@Order(7)
	void statementTimeoutErrorLooksLikeARealStatementTimeout() throws SQLException {
		String sleep = "select pg_sleep(2)";
		HikariDataSource realPool = this.pools.started(postgres.jdbcUrl(),
				(config) -> config.setConnectionInitSql("SET statement_timeout = '100ms'"));
		Map<String, String> real = Observe.failure(() -> new JdbcTemplate(realPool).execute(sleep));
		Observe.transactionAfterError(real, realPool, Connection.TRANSACTION_READ_COMMITTED, () -> {
		}, sleep);
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl());
		// The real error comes when the statement_timeout runs out: a latency rule before
		// the
		// error rule makes the injected one wait as long.
		this.registry.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(100)).sql("pg_sleep").build());
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("57014").sql("pg_sleep").build());
		Map<String, String> injected = Observe.failure(() -> new JdbcTemplate(injectedPool).execute(sleep));
		Observe.transactionAfterError(injected, injectedPool, Connection.TRANSACTION_READ_COMMITTED, () -> {
		}, sleep);
		assertEquivalent(7, "5b. error 57014 (statement_timeout = 100ms)", real, injected, Map.of());
	}

	@Test
	@Order(8)
	void sessionEndingErrorLosesTheConnectionAsATerminatedBackendDoes() throws SQLException {
		HikariDataSource realPool = this.pools.started(postgres.jdbcUrl());
		Map<String, String> real;
		try (Connection held = realPool.getConnection();
				Connection physical = realPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			// What a failover or an operator's pg_terminate_backend does to every
			// session.
			postgres.terminateConnections();
			real = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
			Observe.laterUse(real, held, physical, realPool);
		}
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl());
		Map<String, String> injected;
		try (Connection held = injectedPool.getConnection();
				Connection physical = injectedPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("57P01").operation(Operation.QUERY).build());
			injected = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
			Observe.laterUse(injected, held, physical, injectedPool);
		}
		assertEquivalent(8, "5c. error 57P01 (pg_terminate_backend)", real, injected, Map.of());
	}

	@Test
	@Order(9)
	void tooManyClientsErrorLooksLikeAFullServer() throws SQLException {
		HikariDataSource realPool = this.pools.started(postgres.jdbcUrl());
		Observe.evictAll(realPool);
		Map<String, String> real;
		List<Connection> slots = new ArrayList<>();
		try {
			SQLException full = fillAllConnectionSlots(slots);
			assertThat(full.getSQLState()).as("the connection beyond max_connections").isEqualTo("53300");
			real = Observe.failure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
		}
		finally {
			for (Connection slot : slots) {
				slot.close();
			}
		}
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl());
		Observe.evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("53300").operation(Operation.CONNECT).build());
		Map<String, String> injected = Observe
			.failure(() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
		assertEquivalent(9, "5d. error 53300 (max_connections reached)", real, injected,
				Map.of("message", Observe.HIKARI_WAIT, "fails after", Observe.timing(TIMING_TOLERANCE)));
	}

	@Test
	@Order(10)
	void poolReconnectsWithoutHelpAfterAnInjectedOutageAsAfterARealRestart() {
		JdbcTemplate realTemplate = new JdbcTemplate(this.pools.started(postgres.jdbcUrl()));
		Map<String, String> real = FidelityTable.observation();
		postgres.stop();
		try {
			real.put("query during the outage", Observe.outcome(realTemplate));
		}
		finally {
			postgres.start();
		}
		real.put("same pool answers again, nothing reset", Observe.recovery(realTemplate));
		JdbcTemplate injectedTemplate = new JdbcTemplate(this.pools.started(postgres.jdbcUrl()));
		Map<String, String> injected = FidelityTable.observation();
		String outage = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build()).getId();
		injected.put("query during the outage", Observe.outcome(injectedTemplate));
		this.registry.remove(outage);
		injected.put("same pool answers again, nothing reset", Observe.recovery(injectedTemplate));
		assertEquivalent(10, "6. recovery after the outage", real, injected, Map.of());
	}

	@Test
	@Order(11)
	void ambiguousCommitCommitsAndLosesTheConnectionAsANetworkCutAfterTheCommitDoes() throws Exception {
		Map<String, String> real = NetworkCut.observe(this.pools, postgres.jdbcUrl(),
				(pool, network) -> Observe.lostCommitReply(pool, () -> network.afterReplyTo("COMMIT"), ROWS));
		Map<String, String> injected = Observe.lostCommitReply(this.pools.started(postgres.jdbcUrl()),
				() -> this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).count(1).build()), ROWS);
		assertEquivalent(11, "7. ambiguous commit (network cut after the COMMIT reached the server)", real, injected,
				Map.of());
	}

	@Test
	@Order(12)
	void ambiguousCommitOfAnAutoCommitWriteLooksLikeANetworkCutAfterTheWrite() throws Exception {
		String write = "insert into sneakers";
		Map<String, String> real = NetworkCut.observe(this.pools, postgres.jdbcUrl(),
				(pool, network) -> Observe.lostAutoCommitReply(pool, () -> network.afterReplyTo(write), ROWS));
		Map<String, String> injected = Observe.lostAutoCommitReply(this.pools.started(postgres.jdbcUrl()),
				() -> this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).sql(write).count(1).build()),
				ROWS);
		assertEquivalent(12, "7b. ambiguous commit, write in auto-commit mode (network cut after the write)", real,
				injected, Map.of());
	}

	@Test
	@Order(13)
	void resultResetLosesTheConnectionMidResultAsANetworkCutBetweenFetchesDoes() throws Exception {
		String query = "select n from generate_series(1, 1000) as n";
		int fetchSize = 10;
		Map<String, String> real = NetworkCut.observe(this.pools, postgres.jdbcUrl(),
				(pool, network) -> Observe.brokenResult(pool, query, fetchSize, network::atNextRequest));
		this.registry
			.add(FaultSpec.builder(FaultType.RESULT_RESET).afterRows(fetchSize).sql("generate_series").build());
		Map<String, String> injected = Observe.brokenResult(this.pools.started(postgres.jdbcUrl()), query, fetchSize,
				() -> {
				});
		assertEquivalent(13, "8. result reset (network cut while the rows are fetched, fetchSize=" + fetchSize + ")",
				real, injected, Map.of());
	}

	@Test
	@Order(14)
	void lockMakesTheApplicationWaitUntilItsLockTimeoutAsAnotherSessionsLockDoes() throws SQLException {
		String update = "update sneakers set name = 'dunk' where id = 1";
		Consumer<HikariConfig> lockTimeout = (config) -> config.setConnectionInitSql("SET lock_timeout = '200ms'");
		HikariDataSource realPool = this.pools.started(postgres.jdbcUrl(), lockTimeout);
		Map<String, String> real;
		try (Connection migration = connect(postgres.jdbcUrl())) {
			migration.setAutoCommit(false);
			try (Statement statement = migration.createStatement()) {
				statement.execute("lock table sneakers in access exclusive mode");
			}
			real = Observe.failure(() -> new JdbcTemplate(realPool).update(update));
			migration.rollback();
		}
		HikariDataSource injectedPool = this.pools.started(postgres.jdbcUrl(), lockTimeout);
		FaultRule lock = this.registry.add(FaultSpec.builder(FaultType.LOCK).table("sneakers").build());
		Map<String, String> injected = Observe.failure(() -> new JdbcTemplate(injectedPool).update(update));
		this.registry.remove(lock.getId());
		assertEquivalent(14, "9. lock (ACCESS EXCLUSIVE held by another session, lock_timeout = 200ms)", real, injected,
				Map.of());
	}

	private void assertEquivalent(int order, String scenario, Map<String, String> real, Map<String, String> injected,
			Map<String, Explanation> explained) {
		Map<String, Explanation> explanations = new HashMap<>(explained);
		explanations.putIfAbsent("server error source location", SOURCE_LOCATION);
		explanations.putIfAbsent("next exceptions", Observe.CLOSED_OR_RESET);
		explanations.putIfAbsent("beneath the pool: first use", Observe.CLOSED_OR_RESET);
		// Even an immediate failure costs the real server a round trip, which an injected
		// one
		// skips, and a busy machine stretches both: equal within the common tolerance.
		explanations.putIfAbsent("fails after", Observe.timing(TIMING_TOLERANCE));
		List<String> mismatches = table.compare(order, scenario, real, injected, explanations);
		assertThat(mismatches).as("unexplained differences between real and injected").isEmpty();
	}

	private static String withoutQuotedBatchEntry(String value) {
		return value.replaceAll("Batch entry (\\d+) .*? was aborted", "Batch entry $1 <entry> was aborted");
	}

	private static TransactionTemplate serializable(DataSource dataSource) {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		transaction.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
		return transaction;
	}

	/**
	 * Another client's serializable transaction, changing the row and committing first.
	 */
	private static void commitConcurrentUpdate() {
		try (Connection other = connect(postgres.jdbcUrl())) {
			other.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
			other.setAutoCommit(false);
			try (Statement statement = other.createStatement()) {
				statement.executeUpdate("update sneakers set name = 'jordan' where id = 1");
			}
			other.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Open connections until the server refuses one. Counting what else is connected
	 * would race with background work; asking the server until it says no does not.
	 */
	private static SQLException fillAllConnectionSlots(List<Connection> slots) {
		for (int i = 0; i <= MAX_CONNECTIONS; i++) {
			try {
				slots.add(connect(postgres.jdbcUrl()));
			}
			catch (SQLException ex) {
				return ex;
			}
		}
		throw new IllegalStateException("PostgreSQL accepted more than max_connections=" + MAX_CONNECTIONS);
	}

	private static Connection connect(String jdbcUrl) throws SQLException {
		return DriverManager.getConnection(jdbcUrl, postgres.username(), postgres.password());
	}

	private static void createSneakers(String jdbcUrl) throws SQLException {
		try (Connection connection = connect(jdbcUrl); Statement statement = connection.createStatement()) {
			statement.execute("create table sneakers (id serial primary key, name text not null)");
			statement.execute("insert into sneakers (name) values ('jordan')");
		}
	}

	private static void asSuperuser(String... statements) throws SQLException {
		// The local server trusts its superuser; in a container the tests' user is the
		// superuser.
		boolean local = postgres instanceof LocalManagedPostgres;
		try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(),
				local ? "postgres" : postgres.username(), local ? null : postgres.password());
				Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

}
