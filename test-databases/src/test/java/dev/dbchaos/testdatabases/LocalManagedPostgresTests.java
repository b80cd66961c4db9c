package dev.dbchaos.testdatabases;

import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link LocalManagedPostgres}, against a real server. One server serves the
 * whole class: creating a cluster takes a second or two, restarting it much less.
 */
class LocalManagedPostgresTests {

	private static LocalManagedPostgres postgres;

	@BeforeAll
	static void createServer() {
		postgres = new LocalManagedPostgres();
	}

	@AfterAll
	static void closeServer() {
		if (postgres != null) {
			postgres.close();
		}
	}

	// Whatever the previous test did to it, each test starts with a server that answers.
	@BeforeEach
	void startServer() {
		postgres.start();
	}

	@Test
	void startMakesTheServerAnswerQueries() throws SQLException {
		assertThat(postgres.isRunning()).isTrue();
		assertThat(selectOne(postgres.jdbcUrl())).isEqualTo(1);
	}

	@Test
	void startIsIdempotentWhenRunning() {
		long pid = postgres.postmasterPid().getAsLong();
		postgres.start();
		assertThat(postgres.postmasterPid()).hasValue(pid);
	}

	@Test
	void jdbcUrlPointsAtTheLoopbackPortAndDatabase() {
		assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/dbchaos");
		assertThat(postgres.database()).isEqualTo("dbchaos");
	}

	@Test
	void connectingRequiresThePassword() {
		assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), "wrong"))
			.isInstanceOfSatisfying(SQLException.class, (ex) -> assertThat(ex.getSQLState()).isEqualTo("28P01"));
	}

	@Test
	void stopMakesConnectionsRefused() {
		postgres.stop();
		assertThat(postgres.isRunning()).isFalse();
		assertThatThrownBy(() -> selectOne(postgres.jdbcUrl())).isInstanceOfSatisfying(SQLException.class,
				(ex) -> assertThat(ex.getSQLState()).isEqualTo("08001"));
	}

	@Test
	void startAfterStopServesTheSameUrl() throws SQLException {
		String url = postgres.jdbcUrl();
		postgres.stop();
		postgres.start();
		assertThat(postgres.jdbcUrl()).isEqualTo(url);
		assertThat(selectOne(url)).isEqualTo(1);
	}

	@Test
	void killMakesConnectionsRefusedUntilStartRecovers() throws SQLException {
		postgres.kill();
		assertThat(postgres.isRunning()).isFalse();
		assertThatThrownBy(() -> selectOne(postgres.jdbcUrl())).isInstanceOfSatisfying(SQLException.class,
				(ex) -> assertThat(ex.getSQLState()).isEqualTo("08001"));
		postgres.start();
		assertThat(selectOne(postgres.jdbcUrl())).isEqualTo(1);
		assertThat(postgres.logTail(20)).contains("automatic recovery in progress");
	}

	@Test
	void freezeMakesQueriesTimeOutUntilThaw() throws SQLException {
		try (Connection connection = connect(postgres.jdbcUrl() + "?socketTimeout=1")) {
			assertThat(selectOne(connection)).isEqualTo(1);
			postgres.freeze();
			try {
				assertThat(postgres.isRunning()).isTrue();
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(connection))
					.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08006"))
					.withCauseInstanceOf(SocketTimeoutException.class);
			}
			finally {
				postgres.thaw();
			}
		}
		assertThat(selectOne(postgres.jdbcUrl())).isEqualTo(1);
	}

	@Test
	void terminateConnectionsMakesOpenConnectionsFail() throws SQLException {
		try (Connection first = connect(postgres.jdbcUrl()); Connection second = connect(postgres.jdbcUrl())) {
			assertThat(postgres.terminateConnections()).isGreaterThanOrEqualTo(2);
			for (Connection connection : List.of(first, second)) {
				assertThatThrownBy(() -> selectOne(connection)).isInstanceOfSatisfying(SQLException.class,
						(ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"));
			}
		}
		assertThat(selectOne(postgres.jdbcUrl())).isEqualTo(1);
	}

	@Test
	void createDatabaseIsIdempotentAndReturnsItsUrl() throws SQLException {
		String url = postgres.createDatabase("extra_db");
		assertThat(url).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/extra_db");
		assertThat(postgres.createDatabase("extra_db")).isEqualTo(url);
		assertThat(selectOne(url)).isEqualTo(1);
	}

	@Test
	void logTailShowsTheEndOfTheServerLog() {
		assertThat(postgres.logTail(1000)).contains("database system is ready to accept connections");
		assertThat(postgres.logTail(2).lines()).hasSizeBetween(1, 2);
	}

	@Test
	void closeLeavesNoProcessBehindEvenWhenFrozen(@TempDir Path directory) {
		LocalManagedPostgres other = new LocalManagedPostgres(directory.resolve("pg"));
		List<ProcessHandle> processes;
		try {
			other.start();
			ProcessHandle postmaster = ProcessHandle.of(other.postmasterPid().getAsLong()).orElseThrow();
			processes = Stream.concat(Stream.of(postmaster), postmaster.descendants()).collect(Collectors.toList());
			other.freeze();
		}
		finally {
			other.close();
		}
		assertThat(processes).hasSizeGreaterThan(1).noneMatch((process) -> ServerProcesses.isAlive(process.pid()));
		assertThat(TcpPorts.isAccepting(TcpPorts.LOOPBACK, other.port())).isFalse();
		assertThat(other.directory().resolve("data")).doesNotExist();
	}

	private static int selectOne(String url) throws SQLException {
		try (Connection connection = connect(url)) {
			return selectOne(connection);
		}
	}

	private static int selectOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select 1")) {
			result.next();
			return result.getInt(1);
		}
	}

	private static Connection connect(String url) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", postgres.username());
		properties.setProperty("password", postgres.password());
		properties.setProperty("connectTimeout", "5");
		return DriverManager.getConnection(url, properties);
	}

}
