package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ChaosConnection} under ambiguous commits, against a real PostgreSQL:
 * the work is committed, the caller gets the driver's connection-lost failure and the
 * connection is gone.
 */
class ChaosConnectionTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	@BeforeAll
	static void createTable() throws SQLException {
		try (Connection connection = raw().getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("create table if not exists lost_replies (id serial primary key, name text)");
		}
	}

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void ambiguousCommitCommitsThenFailsAsALostConnectionAndTheConnectionIsGone() throws SQLException {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).count(1).build());
		String name = name();
		try (Connection connection = chaos().getConnection()) {
			connection.setAutoCommit(false);
			insert(connection, name);
			assertThatExceptionOfType(SQLException.class).isThrownBy(connection::commit).satisfies((ex) -> {
				assertThat(ex.getSQLState()).isEqualTo("08006");
				assertThat(ex.getMessage()).isEqualTo("An I/O error occurred while sending to the backend.");
			});
			assertThat(connection.isClosed()).isTrue();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> insert(connection, name()))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08003"));
		}
		assertThat(rowsNamed(name)).as("committed all the same").isOne();
		assertThat(rule.getInjections()).isOne();
	}

	@Test
	void ambiguousCommitLeavesStatementsOfATransactionAlone() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).sql("lost_replies").build());
		String name = name();
		try (Connection connection = chaos().getConnection()) {
			connection.setAutoCommit(false);
			insert(connection, name);
			connection.rollback();
			assertThat(connection.isClosed()).isFalse();
		}
		assertThat(rowsNamed(name)).isZero();
	}

	@Test
	void ambiguousCommitOfAWriteInAutoCommitModeWritesItThenLosesTheConnection() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).sql("insert into lost_replies").build());
		String name = name();
		try (Connection connection = chaos().getConnection()) {
			assertThat(queryOne(connection)).as("a read in auto-commit mode").isOne();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> insert(connection, name))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08006"));
			assertThat(connection.isClosed()).isTrue();
		}
		assertThat(rowsNamed(name)).isOne();
	}

	@Test
	void ambiguousCommitOfExplicitCommitsLeavesWritesInAutoCommitModeAlone() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).operation(Operation.COMMIT).build());
		try (Connection connection = chaos().getConnection()) {
			assertThat(insert(connection, name())).isOne();
			assertThat(connection.isClosed()).isFalse();
		}
	}

	@Test
	void writeTheServerRefusesFailsWithTheServersErrorAndTheConnectionStays() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).build());
		try (Connection connection = chaos().getConnection(); Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeUpdate("insert into no_such_table values (1)"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("42P01"));
			assertThat(connection.isClosed()).isFalse();
			this.registry.clear();
			assertThat(queryOne(connection)).isOne();
		}
	}

	private ChaosDataSource chaos() {
		return new ChaosDataSource(raw(), this.registry, "dataSource", postgres.jdbcUrl(), new Properties()).register();
	}

	private static SimpleDriverDataSource raw() {
		return new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(), postgres.username(),
				postgres.password());
	}

	private static String name() {
		return "reply " + UUID.randomUUID();
	}

	private static int insert(Connection connection, String name) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("insert into lost_replies (name) values (?)")) {
			insert.setString(1, name);
			return insert.executeUpdate();
		}
	}

	private static int queryOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select 1")) {
			result.next();
			return result.getInt(1);
		}
	}

	private static long rowsNamed(String name) throws SQLException {
		try (Connection connection = raw().getConnection();
				PreparedStatement count = connection
					.prepareStatement("select count(*) from lost_replies where name = ?")) {
			count.setString(1, name);
			try (ResultSet result = count.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

}
