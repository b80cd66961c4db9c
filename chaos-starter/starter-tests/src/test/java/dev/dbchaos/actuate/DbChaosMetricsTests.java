package dev.dbchaos.actuate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DbChaosMetrics} bound to several meter registries, with faults
 * injected into JDBC calls to a real PostgreSQL.
 */
class DbChaosMetricsTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	private final ChaosDataSource dataSource = new ChaosDataSource(
			new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(), postgres.username(),
					postgres.password()),
			this.registry, "orders", postgres.jdbcUrl(), null)
		.register();

	@AfterEach
	void close() {
		this.dataSource.close();
		this.registry.close();
	}

	@Test
	void eachMeterRegistryItIsBoundToCountsEveryInjectionOnce() throws SQLException {
		SimpleMeterRegistry first = new SimpleMeterRegistry();
		SimpleMeterRegistry second = new SimpleMeterRegistry();
		DbChaosMetrics metrics = new DbChaosMetrics(this.registry);
		metrics.bindTo(first);
		metrics.bindTo(second);
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).build());
		failingQuery();
		assertThat(injections(first)).isOne();
		assertThat(injections(second)).isOne();
		assertThat(activeErrors(first)).isOne();
		assertThat(activeErrors(second)).isOne();
	}

	@Test
	void aCompositeOfTwoRegistriesCountsOnceInEachAndInItsOwnView() throws SQLException {
		SimpleMeterRegistry first = new SimpleMeterRegistry();
		SimpleMeterRegistry second = new SimpleMeterRegistry();
		CompositeMeterRegistry composite = new CompositeMeterRegistry(Clock.SYSTEM, List.of(first, second));
		SimpleMeterRegistry separate = new SimpleMeterRegistry();
		DbChaosMetrics metrics = new DbChaosMetrics(this.registry);
		metrics.bindTo(composite);
		metrics.bindTo(separate);
		this.registry
			.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(20)).operation(Operation.QUERY).build());
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).build());
		failingQuery();
		for (MeterRegistry meters : List.of(composite, first, second, separate)) {
			assertThat(injections(meters)).as("injections in %s", meters).isOne();
			assertThat(delays(meters).count()).as("delays in %s", meters).isOne();
			assertThat(delays(meters).totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).as("delay in %s", meters)
				.isGreaterThanOrEqualTo(20);
			assertThat(activeErrors(meters)).as("active errors in %s", meters).isOne();
		}
	}

	@Test
	void bindingTheSameRegistryTwiceStillCountsOnce() throws SQLException {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		DbChaosMetrics metrics = new DbChaosMetrics(this.registry);
		metrics.bindTo(meters);
		metrics.bindTo(meters);
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).build());
		failingQuery();
		assertThat(injections(meters)).isOne();
	}

	@Test
	void closedMetricsCountNoMoreInjections() throws SQLException {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		DbChaosMetrics metrics = new DbChaosMetrics(this.registry);
		metrics.bindTo(meters);
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).build());
		failingQuery();
		metrics.close();
		failingQuery();
		assertThat(injections(meters)).isOne();
	}

	@Test
	void heldFaultsAreGaugedByTheirTypeAndInjectIntoNoCall() throws SQLException {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new DbChaosMetrics(this.registry).bindTo(meters);
		this.registry.add(FaultSpec.builder(FaultType.LOCK).table("pg_class").mode("access share").build());
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.executeQuery("select count(*) from pg_class").next();
		}
		assertThat(meters.get("dbchaos.faults.active").tag("type", "lock").gauge().value()).isOne();
		assertThat(meters.get("dbchaos.faults.active").tag("type", "pool-exhaustion").gauge().value()).isZero();
		assertThat(meters.find("dbchaos.injections").counters()).isEmpty();
	}

	@Test
	void lostCommitRepliesAndBrokenResultsAreCountedByTheirTypeAndOperation() throws SQLException {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		new DbChaosMetrics(this.registry).bindTo(meters);
		this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).build());
		this.registry.add(FaultSpec.builder(FaultType.RESULT_RESET).afterRows(0).build());
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			assertThatExceptionOfType(SQLException.class).isThrownBy(connection::commit);
		}
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.executeQuery("select 1").next());
		}
		assertThat(meters.get("dbchaos.injections")
			.tag("type", "ambiguous-commit")
			.tag("operation", "commit")
			.counter()
			.count()).isOne();
		assertThat(meters.get("dbchaos.injections")
			.tag("type", "result-reset")
			.tag("operation", "query")
			.counter()
			.count()).isOne();
		assertThat(meters.get("dbchaos.faults.active").tag("type", "ambiguous-commit").gauge().value()).isOne();
		assertThat(meters.get("dbchaos.faults.active").tag("type", "result-reset").gauge().value()).isOne();
	}

	private void failingQuery() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.executeQuery("select 1"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
		}
	}

	private static double injections(MeterRegistry meters) {
		Counter counter = meters.find("dbchaos.injections")
			.tag("type", "error")
			.tag("operation", "query")
			.tag("datasource", "orders")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static Timer delays(MeterRegistry meters) {
		return meters.get("dbchaos.injected.delay").tag("type", "latency").tag("datasource", "orders").timer();
	}

	private static double activeErrors(MeterRegistry meters) {
		return meters.get("dbchaos.faults.active").tag("type", "error").gauge().value();
	}

}
