package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.Registration;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which outages cut the connections that are open when they start, against a real
 * PostgreSQL.
 */
class OpenConnectionsTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(5));

	private final OpenConnections open = new OpenConnections("dataSource");

	private final Registration listening = this.open.cutOnFullOutage(this.registry);

	@AfterEach
	void close() {
		this.listening.close();
		this.registry.close();
	}

	@Test
	void aFullOutageCutsAnOpenConnectionForItsNextUseEvenAfterItEnds() throws SQLException {
		try (ChaosConnection connection = connect()) {
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
			this.registry.clear();
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> connection.createStatement().execute("select 1"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"));
			assertThat(connection.isClosed()).isTrue();
		}
	}

	@Test
	void aPartialOutageLeavesOpenConnectionsAlone() throws SQLException {
		try (ChaosConnection connection = connect()) {
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).operation(Operation.CONNECT).build());
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).scope("t-42").build());
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).dataSource("reporting").build());
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).probability(0.5).build());
			this.registry.clear();
			assertThat(connection.createStatement().execute("select 1")).isTrue();
		}
	}

	private ChaosConnection connect() throws SQLException {
		Connection physical = new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(),
				postgres.username(), postgres.password())
			.getConnection();
		FaultInjector injector = new FaultInjector(this.registry, "dataSource",
				JdbcFailures.forUrl(postgres.jdbcUrl(), null), null);
		ChaosConnection connection = new ChaosConnection(physical, injector, this.open);
		this.open.opened(connection);
		return connection;
	}

}
