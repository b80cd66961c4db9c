package dev.dbchaos.testdatabases;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link LocalManagedMariaDb}, against a real server, with both MySQL-protocol
 * drivers. One server serves the whole class: creating a data directory takes seconds,
 * restarting the server much less.
 */
class LocalManagedMariaDbTests {

	private static LocalManagedMariaDb mariadb;

	@BeforeAll
	static void createServer() {
		mariadb = new LocalManagedMariaDb();
	}

	@AfterAll
	static void closeServer() {
		if (mariadb != null) {
			mariadb.close();
		}
	}

	// Whatever the previous test did to it, each test starts with a writable server that
	// answers.
	@BeforeEach
	void startServer() {
		mariadb.start();
		mariadb.setReadOnly(false);
	}

	@ParameterizedTest
	@EnumSource
	void startMakesTheServerAnswerQueries(Driver driver) throws SQLException {
		assertThat(mariadb.isRunning()).isTrue();
		assertThat(selectOne(driver)).isEqualTo(1);
	}

	@Test
	void startIsIdempotentWhenRunning() {
		long pid = mariadb.serverPid().getAsLong();
		mariadb.start();
		assertThat(mariadb.serverPid()).hasValue(pid);
	}

	@Test
	void urlsPointAtTheLoopbackPortAndDatabase() {
		assertThat(mariadb.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:" + mariadb.port() + "/dbchaos");
		assertThat(mariadb.mysqlJdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:" + mariadb.port() + "/dbchaos");
		assertThat(mariadb.database()).isEqualTo("dbchaos");
	}

	@ParameterizedTest
	@EnumSource
	void testsConnectAsAUserOfTheirOwnRatherThanRoot(Driver driver) throws SQLException {
		try (Connection connection = driver.connect();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select current_user()")) {
			result.next();
			assertThat(result.getString(1)).isEqualTo("dbchaos@%");
		}
	}

	@ParameterizedTest
	@EnumSource
	void connectingRequiresThePassword(Driver driver) {
		assertThatThrownBy(() -> DriverManager.getConnection(driver.url(), mariadb.username(), "wrong"))
			.isInstanceOfSatisfying(SQLException.class, (ex) -> assertThat(ex.getErrorCode()).isEqualTo(1045));
	}

	@ParameterizedTest
	@EnumSource
	void stopMakesNewConnectionsFail(Driver driver) {
		mariadb.stop();
		assertThat(mariadb.isRunning()).isFalse();
		assertThatThrownBy(() -> selectOne(driver)).isInstanceOfSatisfying(SQLException.class,
				(ex) -> assertThat(ex.getSQLState()).startsWith("08"));
	}

	@Test
	void startAfterStopServesTheSameDataOnTheSamePort() throws SQLException {
		int port = mariadb.port();
		execute("create table if not exists kept (id int primary key)", "delete from kept",
				"insert into kept values (42)");
		mariadb.stop();
		mariadb.start();
		assertThat(mariadb.port()).isEqualTo(port);
		assertThat(queryInt(Driver.MARIADB, "select id from kept")).isEqualTo(42);
	}

	@ParameterizedTest
	@EnumSource
	void killMakesNewConnectionsFailUntilStartRecoversTheCommittedData(Driver driver) throws SQLException {
		execute("create table if not exists survivors (id int primary key)", "delete from survivors",
				"insert into survivors values (7)");
		mariadb.kill();
		assertThat(mariadb.isRunning()).isFalse();
		assertThat(mariadb.logTail(1)).as("no shutdown logged").doesNotContain("Shutdown complete");
		assertThatThrownBy(() -> selectOne(driver)).isInstanceOfSatisfying(SQLException.class,
				(ex) -> assertThat(ex.getSQLState()).startsWith("08"));
		mariadb.start();
		assertThat(queryInt(driver, "select id from survivors")).isEqualTo(7);
	}

	@ParameterizedTest
	@EnumSource
	void freezeMakesQueriesTimeOutWithASocketTimeoutUntilThaw(Driver driver) throws SQLException {
		try (Connection connection = driver.connect("socketTimeout=1000")) {
			assertThat(selectOne(connection)).isEqualTo(1);
			mariadb.freeze();
			try {
				assertThat(mariadb.isRunning()).isTrue();
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection))
					.satisfies((ex) -> assertThat(causes(ex))
						.anyMatch((cause) -> cause.getClass().getSimpleName().equals("SocketTimeoutException")));
			}
			finally {
				mariadb.thaw();
			}
		}
		assertThat(selectOne(driver)).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource
	void queryOfAFrozenServerWaitsUntilItIsThawed(Driver driver) throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (Connection connection = driver.connect()) {
			assertThat(selectOne(connection)).isEqualTo(1);
			AtomicReference<Thread> worker = new AtomicReference<>();
			Future<Integer> query;
			mariadb.freeze();
			try {
				query = executor.submit(() -> {
					worker.set(Thread.currentThread());
					return queryInt(connection, "select 7");
				});
				Poll.until("the query waits for the server's answer", Duration.ofSeconds(30),
						() -> worker.get() != null && isReadingASocket(worker.get()));
				assertThat(query).isNotDone();
			}
			finally {
				mariadb.thaw();
			}
			assertThat(query.get()).isEqualTo(7);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static boolean isReadingASocket(Thread thread) {
		return Arrays.stream(thread.getStackTrace())
			.anyMatch((frame) -> frame.getClassName().equals("sun.nio.ch.NioSocketImpl")
					&& frame.getMethodName().contains("read"));
	}

	@Test
	void terminateConnectionsEndsTheSessionsOfBothDrivers() throws SQLException {
		try (Connection mariadbConnection = Driver.MARIADB.connect();
				Connection mysqlConnection = Driver.MYSQL.connect()) {
			assertThat(mariadb.terminateConnections()).isGreaterThanOrEqualTo(2);
			for (Connection connection : List.of(mariadbConnection, mysqlConnection)) {
				assertThatThrownBy(() -> selectOne(connection)).isInstanceOf(SQLException.class);
			}
		}
		for (Driver driver : Driver.values()) {
			assertThat(selectOne(driver)).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@EnumSource
	void readOnlyMakesWritesFailWhileReadsWork(Driver driver) throws SQLException {
		execute("create table if not exists notes (id int primary key)", "delete from notes");
		mariadb.setReadOnly(true);
		assertThat(mariadb.isReadOnly()).isTrue();
		try (Connection connection = driver.connect(); Statement statement = connection.createStatement()) {
			assertThatThrownBy(() -> statement.executeUpdate("insert into notes values (1)"))
				.isInstanceOfSatisfying(SQLException.class, (ex) -> assertThat(ex.getErrorCode()).isEqualTo(1290));
			assertThat(selectOne(connection)).isEqualTo(1);
			mariadb.setReadOnly(false);
			assertThat(statement.executeUpdate("insert into notes values (1)")).isOne();
		}
		assertThat(mariadb.isReadOnly()).isFalse();
	}

	@Test
	void startAfterStopBringsTheServerBackWritable() {
		mariadb.setReadOnly(true);
		mariadb.stop();
		mariadb.start();
		assertThat(mariadb.isReadOnly()).isFalse();
	}

	@Test
	void createDatabaseIsIdempotentAndReturnsItsUrl() throws SQLException {
		String url = mariadb.createDatabase("extra_db");
		assertThat(url).isEqualTo("jdbc:mariadb://127.0.0.1:" + mariadb.port() + "/extra_db");
		assertThat(mariadb.createDatabase("extra_db")).isEqualTo(url);
		try (Connection connection = DriverManager.getConnection(url, mariadb.username(), mariadb.password())) {
			assertThat(selectOne(connection)).isEqualTo(1);
		}
	}

	@Test
	void logTailShowsTheEndOfTheServerLog() {
		assertThat(mariadb.logTail(1000)).contains("ready for connections");
		assertThat(mariadb.logTail(2).lines()).hasSizeBetween(1, 2);
	}

	@Test
	void closeLeavesNoProcessBehindEvenWhenFrozen(@TempDir Path directory) {
		LocalManagedMariaDb other = new LocalManagedMariaDb(directory.resolve("mariadb"));
		long pid;
		try {
			other.start();
			pid = other.serverPid().getAsLong();
			other.freeze();
		}
		finally {
			other.close();
		}
		assertThat(ServerProcesses.isAlive(pid)).isFalse();
		assertThat(TcpPorts.isAccepting(TcpPorts.LOOPBACK, other.port())).isFalse();
		assertThat(other.directory().resolve("data")).doesNotExist();
	}

	private static List<Throwable> causes(Throwable ex) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	private static void execute(String... sql) throws SQLException {
		try (Connection connection = Driver.MARIADB.connect(); Statement statement = connection.createStatement()) {
			for (String each : sql) {
				statement.execute(each);
			}
		}
	}

	private static int selectOne(Driver driver) throws SQLException {
		return queryInt(driver, "select 1");
	}

	private static int selectOne(Connection connection) throws SQLException {
		return queryInt(connection, "select 1");
	}

	private static int queryInt(Driver driver, String sql) throws SQLException {
		try (Connection connection = driver.connect()) {
			return queryInt(connection, sql);
		}
	}

	private static int queryInt(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getInt(1);
		}
	}

	/**
	 * The two MySQL-protocol drivers, each with its own URL.
	 */
	enum Driver {

		MARIADB, MYSQL;

		String url() {
			return (this == MARIADB) ? mariadb.jdbcUrl() : mariadb.mysqlJdbcUrl();
		}

		Connection connect(String... options) throws SQLException {
			Properties properties = new Properties();
			properties.setProperty("user", mariadb.username());
			properties.setProperty("password", mariadb.password());
			properties.setProperty("connectTimeout", "5000");
			for (String option : options) {
				String[] nameAndValue = option.split("=", 2);
				properties.setProperty(nameAndValue[0], nameAndValue[1]);
			}
			return DriverManager.getConnection(url(), properties);
		}

	}

}
