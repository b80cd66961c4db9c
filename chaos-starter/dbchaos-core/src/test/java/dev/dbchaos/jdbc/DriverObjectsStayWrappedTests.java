package dev.dbchaos.jdbc;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.jdbc.PgResultSet;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that no object of PgJDBC's escapes the wrappers, against a real PostgreSQL:
 * whichever way an application walks from a result set or the metadata back to a
 * statement or the connection, it reaches dbchaos's wrappers, and so meets every fault.
 * That matters most above a pool, where the pool's own objects would otherwise lead
 * straight past dbchaos.
 */
class DriverObjectsStayWrappedTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	@BeforeAll
	static void createSchema() throws SQLException {
		try (Connection connection = raw().getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("create table if not exists wrapped_items (id serial primary key, name text)");
			statement.execute("create or replace function wrapped_cursor() returns refcursor language plpgsql as "
					+ "$$ declare result refcursor; begin open result for select 1 as one; return result; end $$");
		}
	}

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void resultSetHandsOutTheWrappedStatement() throws SQLException {
		try (Connection connection = chaos().getConnection();
				Statement statement = connection.createStatement();
				ResultSet resultSet = statement.executeQuery("select 1")) {
			assertThat(resultSet.getStatement()).isSameAs(statement);
			assertThat(resultSet.getStatement().getConnection()).isSameAs(connection);
		}
	}

	@Test
	void preparedResultSetHandsOutThePreparedWrapper() throws SQLException {
		try (Connection connection = chaos().getConnection();
				PreparedStatement statement = connection.prepareStatement("select ?::int")) {
			statement.setInt(1, 1);
			try (ResultSet resultSet = statement.executeQuery()) {
				assertThat(resultSet.getStatement()).isSameAs(statement);
			}
		}
	}

	@Test
	void getResultSetHandsOutTheSameWrapperUntilTheStatementMovesOn() throws SQLException {
		try (Connection connection = chaos().getConnection(); Statement statement = connection.createStatement()) {
			assertThat(statement.execute("select 1")).isTrue();
			ResultSet resultSet = statement.getResultSet();
			assertThat(resultSet).isInstanceOf(ChaosResultSet.class).isSameAs(statement.getResultSet());
			assertThat(resultSet.getStatement()).isSameAs(statement);
			assertThat(statement.getMoreResults()).isFalse();
			assertThat(statement.getResultSet()).isNull();
		}
	}

	@Test
	void generatedKeysLeadBackToTheWrappedStatement() throws SQLException {
		try (Connection connection = chaos().getConnection();
				PreparedStatement insert = connection.prepareStatement("insert into wrapped_items (name) values ('a')",
						Statement.RETURN_GENERATED_KEYS)) {
			insert.executeUpdate();
			try (ResultSet keys = insert.getGeneratedKeys()) {
				assertThat(keys).isInstanceOf(ChaosResultSet.class);
				assertThat(keys.next()).isTrue();
				assertThat(keys.getStatement()).isSameAs(insert);
			}
		}
	}

	@Test
	void metaDataHandsOutTheWrappedConnection() throws SQLException {
		try (Connection connection = chaos().getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			assertThat(metaData).isInstanceOf(ChaosDatabaseMetaData.class).isSameAs(connection.getMetaData());
			assertThat(metaData.getConnection()).isSameAs(connection);
			assertThat(metaData.getDatabaseProductName()).isEqualTo("PostgreSQL");
		}
	}

	@Test
	void metaDataResultSetsLeadBackToTheWrappedConnection() throws SQLException {
		try (Connection connection = chaos().getConnection();
				ResultSet tables = connection.getMetaData().getTables(null, null, "wrapped_items", null)) {
			assertThat(tables).isInstanceOf(ChaosResultSet.class);
			assertThat(tables.next()).isTrue();
			// PgJDBC runs its metadata queries on statements of its own: they are wrapped
			// too.
			Statement statement = tables.getStatement();
			assertThat(statement).isInstanceOf(ChaosStatement.class).isSameAs(tables.getStatement());
			assertThat(statement.getConnection()).isSameAs(connection);
			this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).build());
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.executeQuery("select 1"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
		}
	}

	@Test
	void aRefcursorIsHandedOutWrapped() throws SQLException {
		try (Connection connection = chaos().getConnection()) {
			// A refcursor lives as long as its transaction.
			connection.setAutoCommit(false);
			try (CallableStatement call = connection.prepareCall("{? = call wrapped_cursor()}")) {
				call.registerOutParameter(1, Types.REF_CURSOR);
				call.execute();
				try (ResultSet cursor = call.getObject(1, ResultSet.class)) {
					assertThat(cursor).isInstanceOf(ChaosResultSet.class);
					assertThat(cursor.next()).isTrue();
					assertThat(cursor.getInt(1)).isOne();
					assertLeadsBackTo(connection, cursor);
				}
			}
			try (Statement statement = connection.createStatement();
					ResultSet resultSet = statement.executeQuery("select wrapped_cursor()")) {
				assertThat(resultSet.next()).isTrue();
				try (ResultSet cursor = (ResultSet) resultSet.getObject(1)) {
					assertThat(cursor).isInstanceOf(ChaosResultSet.class);
					assertLeadsBackTo(connection, cursor);
				}
			}
			connection.rollback();
		}
	}

	@Test
	void resultSetsAndMetaDataSeeThroughToTheDriver() throws SQLException {
		try (Connection connection = chaos().getConnection();
				Statement statement = connection.createStatement();
				ResultSet resultSet = statement.executeQuery("select 1")) {
			assertThat(resultSet.isWrapperFor(PgResultSet.class)).isTrue();
			assertThat(resultSet.unwrap(PgResultSet.class)).isInstanceOf(PgResultSet.class);
			assertThat(resultSet.unwrap(ChaosResultSet.class)).isSameAs(resultSet);
			assertThat(connection.getMetaData().unwrap(org.postgresql.jdbc.PgDatabaseMetaData.class)).isNotNull();
		}
	}

	@Test
	void aboveAPoolTheWayBackFromAResultSetLeadsToTheChaosConnection() throws SQLException {
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setDataSource(raw());
			pool.setMaximumPoolSize(2);
			ChaosDataSource chaos = new ChaosDataSource(pool, this.registry, "dataSource", postgres.jdbcUrl(), null)
				.register();
			try (Connection connection = chaos.getConnection();
					Statement statement = connection.createStatement();
					ResultSet resultSet = statement.executeQuery("select 1")) {
				Connection reached = resultSet.getStatement().getConnection();
				assertThat(reached).isSameAs(connection);
				assertThat(connection.getMetaData().getConnection()).isSameAs(connection);
				this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").build());
				assertThatExceptionOfType(SQLException.class)
					.isThrownBy(() -> reached.createStatement().executeQuery("select 1"))
					.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
			}
			finally {
				chaos.close();
			}
		}
	}

	private static void assertLeadsBackTo(Connection connection, ResultSet resultSet) throws SQLException {
		Statement statement = resultSet.getStatement();
		if (statement != null) {
			assertThat(statement).isInstanceOf(ChaosStatement.class);
			assertThat(statement.getConnection()).isSameAs(connection);
		}
	}

	private ChaosDataSource chaos() {
		return new ChaosDataSource(raw(), this.registry, "dataSource", postgres.jdbcUrl(), null);
	}

	private static SimpleDriverDataSource raw() {
		return new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(), postgres.username(),
				postgres.password());
	}

}
