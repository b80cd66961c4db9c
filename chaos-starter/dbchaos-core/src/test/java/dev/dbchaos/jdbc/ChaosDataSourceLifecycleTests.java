package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
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
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the lifecycle of a {@link ChaosDataSource}: creating one changes nothing in
 * its registry, {@link ChaosDataSource#register()} makes it known there and
 * {@link ChaosDataSource#close()} undoes that, against a real PostgreSQL.
 */
class ChaosDataSourceLifecycleTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void creatingAChaosDataSourceRegistersNothingWithTheRegistry() {
		ChaosDataSource chaos = chaos("orders");
		assertThat(chaos.isRegistered()).isFalse();
		assertThat(this.registry.getDataSources()).isEmpty();
	}

	@Test
	void aRegisteredDataSourceIsListedUntilItIsClosed() {
		ChaosDataSource chaos = chaos("orders").register();
		assertThat(chaos.register()).isSameAs(chaos);
		assertThat(chaos.isRegistered()).isTrue();
		assertThat(this.registry.getDataSources()).containsExactly("orders");
		chaos.close();
		chaos.close();
		assertThat(chaos.isRegistered()).isFalse();
		assertThat(this.registry.getDataSources()).isEmpty();
	}

	@Test
	void closingOneOfTwoDataSourcesOfTheSameNameKeepsTheNameListed() {
		ChaosDataSource first = chaos("orders").register();
		ChaosDataSource second = chaos("orders").register();
		first.close();
		assertThat(this.registry.getDataSources()).containsExactly("orders");
		second.close();
		assertThat(this.registry.getDataSources()).isEmpty();
	}

	@Test
	void aClosedDataSourceCannotBeRegisteredAgain() {
		ChaosDataSource chaos = chaos("orders");
		chaos.close();
		assertThatIllegalStateException().isThrownBy(chaos::register).withMessageContaining("closed");
		assertThat(this.registry.getDataSources()).isEmpty();
	}

	@Test
	void aFullOutageCutsTheOpenConnectionsOfARegisteredDataSource() throws SQLException {
		try (ChaosDataSource chaos = chaos("orders").register(); Connection connection = chaos.getConnection()) {
			restart();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"));
		}
	}

	@Test
	void aClosedDataSourceNoLongerListensToTheRegistry() throws SQLException {
		ChaosDataSource chaos = chaos("orders").register();
		try (Connection connection = chaos.getConnection()) {
			chaos.close();
			restart();
			// Its listener is gone: the restart did not reach the connection it had open.
			assertThat(queryOne(connection)).isOne();
		}
	}

	@Test
	void anUnregisteredDataSourceStillTakesItsFaultsFromTheRegistry() throws SQLException {
		ChaosDataSource chaos = chaos("orders");
		FaultRule error = this.registry
			.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).build());
		try (Connection connection = chaos.getConnection()) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
		}
		this.registry.remove(error.getId());
	}

	/** A full outage that ends at once: the server restarted. */
	private void restart() {
		FaultRule outage = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		this.registry.remove(outage.getId());
	}

	private ChaosDataSource chaos(String name) {
		SimpleDriverDataSource driver = new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(),
				postgres.username(), postgres.password());
		return new ChaosDataSource(driver, this.registry, name, postgres.jdbcUrl(), null);
	}

	private static int queryOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select 1")) {
			result.next();
			return result.getInt(1);
		}
	}

}
