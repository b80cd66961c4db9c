package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ChaosResultSet} under result-reset faults, against a real PostgreSQL.
 */
class ChaosResultSetTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final String TEN_ROWS = "select n from generate_series(1, 10) as n";

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void resultResetHandsOutItsRowsThenLosesTheConnection() throws SQLException {
		FaultRule rule = this.registry
			.add(FaultSpec.builder(FaultType.RESULT_RESET).afterRows(3).sql("generate_series").build());
		try (Connection connection = chaos().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(TEN_ROWS)) {
			for (int n = 1; n <= 3; n++) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getInt(1)).isEqualTo(n);
			}
			assertThatExceptionOfType(SQLException.class).isThrownBy(rows::next).satisfies((ex) -> {
				assertThat(ex.getSQLState()).isEqualTo("08006");
				assertThat(ex.getMessage()).isEqualTo("An I/O error occurred while sending to the backend.");
			});
			assertThat(connection.isClosed()).isTrue();
		}
		assertThat(rule.getInjections()).isOne();
	}

	@Test
	void resultResetAfterNoRowsFailsTheFirstRead() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.RESULT_RESET).afterRows(0).build());
		try (Connection connection = chaos().getConnection(); Statement statement = connection.createStatement()) {
			assertThat(statement.execute(TEN_ROWS)).isTrue();
			ResultSet rows = statement.getResultSet();
			assertThatExceptionOfType(SQLException.class).isThrownBy(rows::next)
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08006"));
		}
	}

	@Test
	void resultResetBreaksOnlyTheResultsOfTheQueriesItMatches() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.RESULT_RESET).afterRows(1).sql("from nowhere").build());
		try (Connection connection = chaos().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(TEN_ROWS)) {
			int count = 0;
			while (rows.next()) {
				count++;
			}
			assertThat(count).isEqualTo(10);
			assertThat(connection.isClosed()).isFalse();
		}
	}

	private ChaosDataSource chaos() {
		SimpleDriverDataSource raw = new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(),
				postgres.username(), postgres.password());
		return new ChaosDataSource(raw, this.registry, "dataSource", postgres.jdbcUrl(), new Properties()).register();
	}

}
