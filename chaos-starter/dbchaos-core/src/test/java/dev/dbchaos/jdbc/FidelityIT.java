package dev.dbchaos.jdbc;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.jdbc.FidelityTable.Explanation;
import dev.dbchaos.testdatabases.LocalManagedPostgres;
import dev.dbchaos.testdatabases.ManagedPostgres;
import dev.dbchaos.testdatabases.SqlFailures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Holds dbchaos to its promise that an injected fault looks to the application exactly
 * like the real failure: every scenario runs once against a really failing PostgreSQL and
 * once against a healthy one with a rule injecting the fault, through the same stack
 * (HikariCP with dbchaos beneath it, as the starter installs it, and Spring's
 * {@link JdbcTemplate} on top). What the application sees is compared aspect by aspect
 * and written to {@code docs/fidelity.md}; a difference nobody explained fails the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FidelityIT {

	private static final String COMMAND = "./mvnw -Preports -pl chaos-starter/dbchaos-core -am install -Dit.test=FidelityIT";

	/**
	 * Short, so that the outage scenarios take a second rather than Hikari's default 30.
	 */
	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

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

	private static final String SELECT = "select name from sneakers where id = 1";

	private static final String INSERT = "insert into sneakers (name) values ('air')";

	private static final FidelityTable table = new FidelityTable();

	/**
	 * Hikari's timeout message names the time it waited, which is never the same twice.
	 */
	private static final Explanation HIKARI_WAIT = Explanation.normalized(
			"Hikari reports how long it waited, which varies by a few ms; compared with the numbers of ms removed",
			(message) -> message.replaceAll("\\d+ms", "Nms"));

	/**
	 * Where in its C code the server raised the error, which only its own version knows.
	 */
	private static final Explanation SOURCE_LOCATION = new Explanation(
			"the server's C source location (routine, file, line) changes with every PostgreSQL release; "
					+ "dbchaos leaves it out rather than invent one",
			(real, injected) -> injected.equals("null in null:0"));

	/**
	 * How a session the server ended reads after the server's last word: closed (end of
	 * stream) or reset, depending on whether the server's close reached the client before
	 * or after the client's next write. Real servers give either from one run to the
	 * next; dbchaos gives the end of stream.
	 */
	private static final Explanation CLOSED_OR_RESET = Explanation.normalized(
			"after the server ends a session its socket reads as closed (EOFException) or, when the client wrote "
					+ "first, as reset (SocketException \"Connection reset\"), from one run to the next; dbchaos "
					+ "imitates the first",
			SqlFailures::withResetAsEndOfStream);

	/** What dbchaos cannot say about a batch it fails before the driver runs it. */
	private static final Explanation BATCH_SIZE_UNKNOWN = new Explanation(
			"PgJDBC marks every entry EXECUTE_FAILED (-3); dbchaos fails the batch before the driver and "
					+ "does not know its size, so it reports no counts",
			(real, injected) -> real.matches("\\[-3(, -3)*]") && injected.equals("[]"));

	private static ManagedPostgres postgres;

	private static String readOnlyUrl;

	/** What the real failures came from, as the server reports itself. */
	private static String serverVersion = "unknown";

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(5));

	private final List<HikariDataSource> pools = new ArrayList<>();

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
			table.write(Path.of("target", "reports", "docs", "fidelity.md"), COMMAND, serverVersion);
		}
		finally {
			if (postgres != null) {
				postgres.close();
			}
		}
	}

	@AfterEach
	void closePools() {
		this.registry.clear();
		this.pools.forEach(HikariDataSource::close);
		this.registry.close();
		// Whatever a failed test left behind, the next one gets a server that answers.
		postgres.start();
	}

	@Test
	@Order(1)
	void outageRefusesNewConnectionsAsAStoppedServerDoes() {
		HikariDataSource realPool = startedPool(postgres.jdbcUrl());
		evictAll(realPool);
		Map<String, String> real;
		postgres.stop();
		try {
			real = observeFailure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
		}
		finally {
			postgres.start();
		}
		HikariDataSource injectedPool = startedPool(postgres.jdbcUrl());
		evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		Map<String, String> injected = observeFailure(
				() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
		assertEquivalent(1, "1. outage, new connection (server stopped)", real, injected,
				Map.of("message", HIKARI_WAIT, "fails after", timing(TIMING_TOLERANCE)));
	}

	@Test
	@Order(2)
	void outageBreaksAnOpenConnectionAsAServerShutdownDoes() throws SQLException {
		HikariDataSource realPool = startedPool(postgres.jdbcUrl());
		Map<String, String> real;
		try (Connection held = realPool.getConnection();
				Connection physical = realPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			postgres.stop();
			try {
				real = observeFailure(() -> onHeld.queryForObject(SELECT, String.class));
				observeLaterUse(real, held, physical, realPool);
			}
			finally {
				postgres.start();
			}
		}
		HikariDataSource injectedPool = startedPool(postgres.jdbcUrl());
		Map<String, String> injected;
		try (Connection held = injectedPool.getConnection();
				Connection physical = injectedPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
			injected = observeFailure(() -> onHeld.queryForObject(SELECT, String.class));
			observeLaterUse(injected, held, physical, injectedPool);
		}
		assertEquivalent(2, "2. outage, open connection (server stopped)", real, injected, Map.of());
	}

	@Test
	@Order(3)
	void hangTimesOutAtTheSocketTimeoutAsAFrozenServerDoes() throws SQLException {
		HikariDataSource realPool = startedPool(postgres.jdbcUrl());
		Map<String, String> real;
		try (Connection held = realPool.getConnection();
				Connection physical = realPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			postgres.freeze();
			try {
				real = observeFailure(() -> onHeld.queryForObject(SELECT, String.class));
				observeBeneathThePool(real, physical);
			}
			finally {
				postgres.thaw();
			}
		}
		HikariDataSource injectedPool = startedPool(postgres.jdbcUrl());
		Map<String, String> injected;
		try (Connection held = injectedPool.getConnection();
				Connection physical = injectedPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			this.registry.add(FaultSpec.builder(FaultType.HANG).build());
			injected = observeFailure(() -> onHeld.queryForObject(SELECT, String.class));
			observeBeneathThePool(injected, physical);
		}
		assertThat(seconds(real.get("fails after"))).as("real call ends at the socket timeout")
			.isBetween(SOCKET_TIMEOUT - 0.1, SOCKET_TIMEOUT + 1.0);
		assertEquivalent(3, "3. hang (server frozen, socketTimeout=" + SOCKET_TIMEOUT + "s)", real, injected,
				Map.of("fails after", timing(TIMING_TOLERANCE)));
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
		HikariDataSource realPool = startedPool(postgres.jdbcUrl(), connectionTimeout);
		HikariDataSource realLoginTimeoutPool = startedPool(postgres.jdbcUrl() + "?loginTimeout=1");
		evictAll(realPool);
		Map<String, String> real;
		postgres.freeze();
		try {
			real = observeFailure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
			observeNewPhysicalConnections(real, realPool, realLoginTimeoutPool);
		}
		finally {
			postgres.thaw();
		}
		HikariDataSource injectedPool = startedPool(postgres.jdbcUrl(), connectionTimeout);
		HikariDataSource injectedLoginTimeoutPool = startedPool(postgres.jdbcUrl() + "?loginTimeout=1");
		evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.HANG).build());
		Map<String, String> injected = observeFailure(
				() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
		observeNewPhysicalConnections(injected, injectedPool, injectedLoginTimeoutPool);
		assertEquivalent(4, "3b. hang, new connection (server frozen)", real, injected,
				Map.of("message", HIKARI_WAIT, "fails after", timing(TIMING_TOLERANCE),
						"beneath the pool: gives up after", timing(TIMING_TOLERANCE),
						"beneath the pool, DriverManager login timeout 1 s: gives up after", timing(TIMING_TOLERANCE),
						"beneath the pool, loginTimeout=1 in the URL: gives up after", timing(TIMING_TOLERANCE)));
	}

	/**
	 * How the driver gives a new connection up, beneath the pool: at its socket timeouts,
	 * or at its login timeout when that comes first. PgJDBC ignores the DriverManager's,
	 * which is the one HikariCP sets.
	 */
	private static void observeNewPhysicalConnections(Map<String, String> observation, HikariDataSource pool,
			HikariDataSource loginTimeoutPool) {
		observeNewPhysicalConnection(observation, "beneath the pool", pool);
		int loginTimeout = DriverManager.getLoginTimeout();
		DriverManager.setLoginTimeout(1);
		try {
			observeNewPhysicalConnection(observation, "beneath the pool, DriverManager login timeout 1 s", pool);
		}
		finally {
			DriverManager.setLoginTimeout(loginTimeout);
		}
		observeNewPhysicalConnection(observation, "beneath the pool, loginTimeout=1 in the URL", loginTimeoutPool);
	}

	private static void observeNewPhysicalConnection(Map<String, String> observation, String aspect,
			HikariDataSource pool) {
		long start = System.nanoTime();
		SQLException failure = catchThrowableOfType(SQLException.class, () -> pool.getDataSource().getConnection());
		double elapsed = (System.nanoTime() - start) / 1e9;
		observation.put(aspect + ": new connection",
				SqlFailures.describe(failure) + ((failure != null) ? "; cause: " + SqlFailures.causes(failure) : ""));
		observation.put(aspect + ": gives up after", String.format(Locale.ROOT, "%.1f s", elapsed));
	}

	@Test
	@Order(5)
	void readOnlyRefusesWritesAndAllowsReadsAsAReadOnlyDatabaseDoes() throws SQLException {
		HikariDataSource realPool = startedPool(readOnlyUrl);
		JdbcTemplate realTemplate = new JdbcTemplate(realPool);
		Map<String, String> real = observeFailure(() -> realTemplate.update(INSERT));
		observeOtherStatements(real, realTemplate);
		observeTransactionAfterError(real, realPool, Connection.TRANSACTION_READ_COMMITTED, () -> {
		}, INSERT);
		HikariDataSource injectedPool = startedPool(postgres.jdbcUrl());
		JdbcTemplate injectedTemplate = new JdbcTemplate(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.READ_ONLY).build());
		Map<String, String> injected = observeFailure(() -> injectedTemplate.update(INSERT));
		observeOtherStatements(injected, injectedTemplate);
		observeTransactionAfterError(injected, injectedPool, Connection.TRANSACTION_READ_COMMITTED, () -> {
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

	/** Reads and the other kinds of write, one row each. */
	private static void observeOtherStatements(Map<String, String> observation, JdbcTemplate template) {
		observation.put("read", statement(() -> template.queryForObject(SELECT, String.class)));
		observation.put("UPDATE", statement(() -> template.update("update sneakers set name = 'max' where id = 0")));
		observation.put("DELETE", statement(() -> template.update("delete from sneakers where id = 0")));
		observation.put("CREATE TABLE", statement(() -> template.execute("create table shoes (id int)")));
		observation.put("SELECT FOR UPDATE",
				statement(() -> template.queryForList("select name from sneakers where id = 1 for update")));
		observation.put("nextval()",
				statement(() -> template.queryForObject("select nextval('sneakers_id_seq')", Long.class)));
		batch(observation, "Statement batch", () -> template.batchUpdate(INSERT, INSERT));
		batch(observation, "PreparedStatement batch",
				() -> template.batchUpdate("insert into sneakers (name) values (?)",
						List.of(new Object[] { "air" }, new Object[] { "max" })));
	}

	private static void batch(Map<String, String> observation, String aspect, Runnable action) {
		observation.put(aspect, statement(action));
		DataAccessException failure = catchThrowableOfType(DataAccessException.class, action::run);
		observation.put(aspect + ": update counts",
				(failure != null && failure.getCause() instanceof BatchUpdateException batch)
						? Arrays.toString(batch.getLargeUpdateCounts()) : "none");
	}

	private static String statement(Runnable action) {
		DataAccessException failure = catchThrowableOfType(DataAccessException.class, action::run);
		if (failure == null) {
			return "succeeds";
		}
		SQLException ex = (SQLException) failure.getCause();
		String next = SqlFailures.nextExceptions(ex);
		String cause = SqlFailures.causes(ex);
		return failure.getClass().getSimpleName() + " ← " + SqlFailures.describe(ex)
				+ (next.equals("none") ? "" : "; next: " + next) + (cause.equals("none") ? "" : "; cause: " + cause);
	}

	@Test
	@Order(6)
	void serializationFailureErrorLooksLikeTwoConflictingSerializableTransactions() throws SQLException {
		String update = "update sneakers set name = 'max' where id = 1";
		HikariDataSource realPool = startedPool(postgres.jdbcUrl());
		Map<String, String> real = observeFailure(() -> serializable(realPool).executeWithoutResult((status) -> {
			JdbcTemplate template = new JdbcTemplate(realPool);
			// The first read takes the transaction's snapshot; the row changes after it.
			template.queryForObject(SELECT, String.class);
			commitConcurrentUpdate();
			template.update(update);
		}));
		observeTransactionAfterError(real, realPool, Connection.TRANSACTION_SERIALIZABLE,
				FidelityIT::commitConcurrentUpdate, update);
		HikariDataSource injectedPool = startedPool(postgres.jdbcUrl());
		this.registry.add(FaultSpec.builder(FaultType.ERROR)
			.sqlState("40001")
			.operation(Operation.UPDATE)
			.sql("^update")
			.build());
		Map<String, String> injected = observeFailure(
				() -> serializable(injectedPool).executeWithoutResult((status) -> {
					JdbcTemplate template = new JdbcTemplate(injectedPool);
					template.queryForObject(SELECT, String.class);
					template.update(update);
				}));
		observeTransactionAfterError(injected, injectedPool, Connection.TRANSACTION_SERIALIZABLE, () -> {
		}, update);
		assertEquivalent(6, "5a. error 40001 (serializable transactions in conflict)", real, injected, Map.of());
	}

	/**
	 * What an application that catches the error and carries on in the same transaction
	 * meets: after a server error the transaction is aborted, whoever raised it.
	 */
	private static void observeTransactionAfterError(Map<String, String> observation, DataSource pool, int isolation,
			Runnable conflict, String failing) throws SQLException {
		try (Connection connection = pool.getConnection()) {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(isolation);
			try (Statement statement = connection.createStatement()) {
				statement.executeQuery(SELECT).close();
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
		}
	}

	@Test
	@Order(7)
	void statementTimeoutErrorLooksLikeARealStatementTimeout() throws SQLException {
		String sleep = "select pg_sleep(2)";
		HikariDataSource realPool = startedPool(postgres.jdbcUrl(),
				(config) -> config.setConnectionInitSql("SET statement_timeout = '100ms'"));
		Map<String, String> real = observeFailure(() -> new JdbcTemplate(realPool).execute(sleep));
		observeTransactionAfterError(real, realPool, Connection.TRANSACTION_READ_COMMITTED, () -> {
		}, sleep);
		HikariDataSource injectedPool = startedPool(postgres.jdbcUrl());
		// The real error comes when the statement_timeout runs out: a latency rule before
		// the
		// error rule makes the injected one wait as long.
		this.registry.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(100)).sql("pg_sleep").build());
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("57014").sql("pg_sleep").build());
		Map<String, String> injected = observeFailure(() -> new JdbcTemplate(injectedPool).execute(sleep));
		observeTransactionAfterError(injected, injectedPool, Connection.TRANSACTION_READ_COMMITTED, () -> {
		}, sleep);
		assertEquivalent(7, "5b. error 57014 (statement_timeout = 100ms)", real, injected, Map.of());
	}

	@Test
	@Order(8)
	void sessionEndingErrorLosesTheConnectionAsATerminatedBackendDoes() throws SQLException {
		HikariDataSource realPool = startedPool(postgres.jdbcUrl());
		Map<String, String> real;
		try (Connection held = realPool.getConnection();
				Connection physical = realPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			// What a failover or an operator's pg_terminate_backend does to every
			// session.
			postgres.terminateConnections();
			real = observeFailure(() -> onHeld.queryForObject(SELECT, String.class));
			observeLaterUse(real, held, physical, realPool);
		}
		HikariDataSource injectedPool = startedPool(postgres.jdbcUrl());
		Map<String, String> injected;
		try (Connection held = injectedPool.getConnection();
				Connection physical = injectedPool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("57P01").operation(Operation.QUERY).build());
			injected = observeFailure(() -> onHeld.queryForObject(SELECT, String.class));
			observeLaterUse(injected, held, physical, injectedPool);
		}
		assertEquivalent(8, "5c. error 57P01 (pg_terminate_backend)", real, injected, Map.of());
	}

	@Test
	@Order(9)
	void tooManyClientsErrorLooksLikeAFullServer() throws SQLException {
		HikariDataSource realPool = startedPool(postgres.jdbcUrl());
		evictAll(realPool);
		Map<String, String> real;
		List<Connection> slots = new ArrayList<>();
		try {
			SQLException full = fillAllConnectionSlots(slots);
			assertThat(full.getSQLState()).as("the connection beyond max_connections").isEqualTo("53300");
			real = observeFailure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
		}
		finally {
			for (Connection slot : slots) {
				slot.close();
			}
		}
		HikariDataSource injectedPool = startedPool(postgres.jdbcUrl());
		evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("53300").operation(Operation.CONNECT).build());
		Map<String, String> injected = observeFailure(
				() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
		assertEquivalent(9, "5d. error 53300 (max_connections reached)", real, injected,
				Map.of("message", HIKARI_WAIT, "fails after", timing(TIMING_TOLERANCE)));
	}

	@Test
	@Order(10)
	void poolReconnectsWithoutHelpAfterAnInjectedOutageAsAfterARealRestart() {
		JdbcTemplate realTemplate = new JdbcTemplate(startedPool(postgres.jdbcUrl()));
		Map<String, String> real = FidelityTable.observation();
		postgres.stop();
		try {
			real.put("query during the outage", outcome(realTemplate));
		}
		finally {
			postgres.start();
		}
		real.put("same pool answers again, nothing reset", awaitRecovery(realTemplate));
		JdbcTemplate injectedTemplate = new JdbcTemplate(startedPool(postgres.jdbcUrl()));
		Map<String, String> injected = FidelityTable.observation();
		String outage = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build()).getId();
		injected.put("query during the outage", outcome(injectedTemplate));
		this.registry.remove(outage);
		injected.put("same pool answers again, nothing reset", awaitRecovery(injectedTemplate));
		assertEquivalent(10, "6. recovery after the outage", real, injected, Map.of());
	}

	private void assertEquivalent(int order, String scenario, Map<String, String> real, Map<String, String> injected,
			Map<String, Explanation> explained) {
		Map<String, Explanation> explanations = new HashMap<>(explained);
		explanations.putIfAbsent("server error source location", SOURCE_LOCATION);
		explanations.putIfAbsent("next exceptions", CLOSED_OR_RESET);
		explanations.putIfAbsent("beneath the pool: first use", CLOSED_OR_RESET);
		// Even an immediate failure costs the real server a round trip, which an injected
		// one
		// skips, and a busy machine stretches both: equal within the common tolerance.
		explanations.putIfAbsent("fails after", timing(TIMING_TOLERANCE));
		List<String> mismatches = table.compare(order, scenario, real, injected, explanations);
		assertThat(mismatches).as("unexplained differences between real and injected").isEmpty();
	}

	/**
	 * Run what must fail and describe, as the application sees them, the Spring exception
	 * and the JDBC exception beneath it.
	 */
	private static Map<String, String> observeFailure(Runnable action) {
		long start = System.nanoTime();
		DataAccessException failure = catchThrowableOfType(DataAccessException.class, action::run);
		double elapsed = (System.nanoTime() - start) / 1e9;
		assertThat(failure).as("a DataAccessException").isNotNull();
		Map<String, String> observation = FidelityTable.observation();
		observation.put("Spring exception", failure.getClass().getSimpleName());
		observation.putAll(SqlFailures.fields((SQLException) failure.getCause()));
		observation.put("fails after", String.format(Locale.ROOT, "%.1f s", elapsed));
		return observation;
	}

	/**
	 * What follows a lost connection: its next use, through the pool and beneath it, and
	 * whether Hikari threw it away.
	 */
	private static void observeLaterUse(Map<String, String> observation, Connection held, Connection physical,
			HikariDataSource pool) throws SQLException {
		// Hikari swaps a broken connection's delegate for its own closed one: that is
		// what
		// the application meets next, whoever broke it.
		observation.put("later use, through Hikari", SqlFailures
			.describe(catchThrowableOfType(SQLException.class, () -> held.createStatement().executeQuery(SELECT))));
		observeBeneathThePool(observation, physical);
		// Hikari counts a connection it evicted out at once; one it kept stays counted.
		// Observed,
		// not assumed: a connection Hikari kept shows up as a difference in the table.
		observation.put("Hikari evicts it", awaitEviction(pool));
	}

	/**
	 * What the driver's own connection does, without Hikari in between: the first
	 * failure, then the state it is left in.
	 */
	private static void observeBeneathThePool(Map<String, String> observation, Connection physical)
			throws SQLException {
		SQLException first = catchThrowableOfType(SQLException.class,
				() -> physical.createStatement().executeQuery(SELECT));
		observation.put("beneath the pool: first use",
				SqlFailures.describe(first) + ((first != null) ? "; next: " + SqlFailures.nextExceptions(first) : ""));
		observation.put("beneath the pool: later use", SqlFailures
			.describe(catchThrowableOfType(SQLException.class, () -> physical.createStatement().executeQuery(SELECT))));
		observation.put("beneath the pool: isClosed, isValid", physical.isClosed() + ", " + physical.isValid(1));
	}

	private static String outcome(JdbcTemplate template) {
		try {
			template.queryForObject("select 1", Integer.class);
			return "succeeds";
		}
		catch (DataAccessException ex) {
			return "fails";
		}
	}

	private static String awaitEviction(HikariDataSource pool) {
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> pool.getHikariPoolMXBean().getTotalConnections() == 0);
			return "yes";
		}
		catch (ConditionTimeoutException ex) {
			return "no: " + pool.getHikariPoolMXBean().getTotalConnections() + " connections still counted after 5 s";
		}
	}

	private static String awaitRecovery(JdbcTemplate template) {
		try {
			await().atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(() -> template.queryForObject("select 1", Integer.class) == 1);
			return "yes";
		}
		catch (ConditionTimeoutException ex) {
			return "no: still failing after 15 s";
		}
	}

	private static Explanation timing(double toleranceSeconds) {
		return new Explanation("timing differs by a few ms; equal within " + toleranceSeconds + " s",
				(real, injected) -> Math.abs(seconds(real) - seconds(injected)) <= toleranceSeconds);
	}

	private static String withoutQuotedBatchEntry(String value) {
		return value.replaceAll("Batch entry (\\d+) .*? was aborted", "Batch entry $1 <entry> was aborted");
	}

	private static double seconds(String value) {
		return Double.parseDouble(value.replace(" s", ""));
	}

	/**
	 * A pool built as the starter builds it: dbchaos beneath HikariCP, above PgJDBC. With
	 * no rule it passes real failures through untouched, so the real and the injected
	 * runs share every layer.
	 */
	private HikariDataSource startedPool(String jdbcUrl) {
		return startedPool(jdbcUrl, (config) -> {
		});
	}

	private HikariDataSource startedPool(String jdbcUrl, Consumer<HikariConfig> customizer) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("dataSource");
		config.setJdbcUrl(jdbcUrl);
		config.setUsername(postgres.username());
		config.setPassword(postgres.password());
		config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
		config.setValidationTimeout(500);
		config.setMaximumPoolSize(2);
		config.setMinimumIdle(0);
		config.addDataSourceProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT));
		customizer.accept(config);
		Properties properties = config.getDataSourceProperties();
		config.setDataSource(new ChaosDataSource(new DriverDataSource(jdbcUrl, config.getDriverClassName(), properties,
				config.getUsername(), config.getPassword()), this.registry, "dataSource", jdbcUrl, properties)
			.register());
		HikariDataSource pool = new HikariDataSource(config);
		this.pools.add(pool);
		// Started on a healthy server: a pool that cannot start fails differently from
		// one that
		// loses its database, which is the case under test.
		new JdbcTemplate(pool).queryForObject("select 1", Integer.class);
		return pool;
	}

	/** Leave the pool without connections, so that the next borrower needs a new one. */
	private static void evictAll(HikariDataSource pool) {
		pool.getHikariPoolMXBean().softEvictConnections();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isZero());
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
