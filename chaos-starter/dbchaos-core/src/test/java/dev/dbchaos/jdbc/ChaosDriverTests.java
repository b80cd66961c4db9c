package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ChaosDriver}, over PgJDBC on a real PostgreSQL.
 */
class ChaosDriverTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final FaultRegistry faults = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	private final ChaosDataSource chaos = new ChaosDataSource(new PGSimpleDataSource(), this.faults, "orders",
			postgres.jdbcUrl(), null)
		.register();

	private final ChaosDriver driver = new ChaosDriver(new org.postgresql.Driver(), this.chaos);

	@AfterEach
	void close() {
		this.chaos.close();
		this.faults.close();
	}

	@Test
	void connectsWithThePropertiesItIsGivenCallByCall() throws SQLException {
		Properties info = credentials();
		info.setProperty("ApplicationName", "dbchaos-driver");
		try (Connection connection = this.driver.connect(postgres.jdbcUrl(), info)) {
			assertThat(connection).isInstanceOf(ChaosConnection.class);
			assertThat(queryOne(connection, "select current_setting('application_name')")).isEqualTo("dbchaos-driver");
		}
	}

	@Test
	void aNewConnectionMeetsTheDataSourcesConnectFaults() {
		this.faults.add(FaultSpec.builder(FaultType.OUTAGE).operation(Operation.CONNECT).build());
		assertThatExceptionOfType(SQLException.class)
			.isThrownBy(() -> this.driver.connect(postgres.jdbcUrl(), credentials()))
			.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08001"));
	}

	@Test
	void aFullOutageCutsTheConnectionsItOpenedAsItCutsTheDataSourcesOwn() throws SQLException {
		try (Connection connection = this.driver.connect(postgres.jdbcUrl(), credentials())) {
			assertThat(queryOne(connection, "select 1")).isEqualTo("1");
			FaultRule outage = this.faults.add(FaultSpec.builder(FaultType.OUTAGE).build());
			this.faults.remove(outage.getId());
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(connection, "select 1"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"));
		}
	}

	@Test
	void aUrlTheRealDriverDoesNotTakeGetsNoConnectionAsTheDriverContractSays() throws SQLException {
		assertThat(this.driver.acceptsURL("jdbc:mysql://127.0.0.1/orders")).isFalse();
		assertThat(this.driver.connect("jdbc:mysql://127.0.0.1/orders", credentials())).isNull();
	}

	private static Properties credentials() {
		Properties info = new Properties();
		info.setProperty("user", postgres.username());
		info.setProperty("password", postgres.password());
		return info;
	}

	private static String queryOne(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			assertThat(result.next()).isTrue();
			return result.getString(1);
		}
	}

}
