package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;
import dev.dbchaos.testdatabases.ManagedDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PoolExhaustion}, on a real HikariCP pool of a real server: the
 * application meets the pool's own timeout, and the pool's active count goes back to its
 * baseline whatever ends the fault. A subclass gives the server.
 */
abstract class AbstractPoolExhaustionTests {

	private static final int POOL_SIZE = 4;

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	private final HikariDataSource pool = pool();

	private final HikariPoolMXBean stats = this.pool.getHikariPoolMXBean();

	private final List<Connection> application = new ArrayList<>();

	AbstractPoolExhaustionTests() {
		this.registry.addHolder(FaultType.POOL_EXHAUSTION, "dataSource",
				new PoolExhaustion(this.pool, this.pool::getMaximumPoolSize));
	}

	@AfterEach
	void closePool() throws SQLException {
		for (Connection connection : this.application) {
			connection.close();
		}
		this.registry.close();
		this.pool.close();
	}

	@Test
	void exhaustedPoolMakesTheApplicationMeetItsConnectionTimeout() {
		this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).build());
		awaitActive(POOL_SIZE);
		assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(this.pool::getConnection)
			.withMessageContaining("Connection is not available, request timed out after");
	}

	@Test
	void someConnectionsHeldLeaveTheRestToTheApplication() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).connections(3).build());
		awaitActive(3);
		borrow(1);
		assertThat(this.stats.getActiveConnections()).isEqualTo(POOL_SIZE);
		assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(this.pool::getConnection);
	}

	@Test
	void connectionsAreReturnedWhenTheFaultIsRemovedAndTheActiveCountIsBackToItsBaseline() throws SQLException {
		borrow(1);
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).connections(2).build());
		awaitActive(3);
		this.registry.remove(rule.getId());
		assertThat(this.stats.getActiveConnections()).isEqualTo(1);
		borrow(3);
	}

	@Test
	void connectionsAreReturnedWhenTheFaultExpires() {
		FaultRule rule = this.registry
			.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).duration(Duration.ofMillis(500)).build());
		awaitActive(POOL_SIZE);
		await().atMost(Duration.ofMinutes(1)).until(rule::hasEnded);
		awaitActive(0);
	}

	@Test
	void connectionsAreReturnedWhenTheRegistryShutsDown() {
		this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).build());
		awaitActive(POOL_SIZE);
		this.registry.close();
		assertThat(this.stats.getActiveConnections()).isZero();
	}

	@Test
	void connectionsTheApplicationHoldsAreTakenAsItReturnsThem() throws SQLException {
		borrow(POOL_SIZE);
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).build());
		returnAll();
		await().atMost(Duration.ofMinutes(1))
			.until(() -> this.stats.getActiveConnections() == POOL_SIZE && this.stats.getIdleConnections() == 0);
		assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(this.pool::getConnection);
		this.registry.remove(rule.getId());
		assertThat(this.stats.getActiveConnections()).isZero();
	}

	@Test
	void faultEndedWhileItWaitsForConnectionsTakesNoneOfThem() throws SQLException {
		borrow(POOL_SIZE);
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).build());
		this.registry.remove(rule.getId());
		returnAll();
		awaitActive(0);
		borrow(POOL_SIZE);
	}

	/**
	 * What {@code hikaricp.connections.pending} shows during the fault: Hikari's gauge
	 * reads {@link HikariPoolMXBean#getThreadsAwaitingConnection()}.
	 */
	@Test
	void anApplicationWaitingForAConnectionIsPendingAndGetsOneWhenTheFaultEnds() throws Exception {
		HikariConfig config = new HikariConfig();
		this.pool.copyStateTo(config);
		config.setPoolName("patient");
		// Long enough that the waiter is still waiting when the fault ends.
		config.setConnectionTimeout(Duration.ofMinutes(1).toMillis());
		try (HikariDataSource patient = new HikariDataSource(config);
				FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10))) {
			registry.addHolder(FaultType.POOL_EXHAUSTION, "patient",
					new PoolExhaustion(patient, patient::getMaximumPoolSize));
			HikariPoolMXBean patientStats = patient.getHikariPoolMXBean();
			FaultRule rule = registry.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).build());
			await().atMost(Duration.ofMinutes(1)).until(() -> patientStats.getActiveConnections() == POOL_SIZE);
			CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
				try (Connection connection = patient.getConnection()) {
					return connection.isValid(5);
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			await().atMost(Duration.ofMinutes(1)).until(() -> patientStats.getThreadsAwaitingConnection() == 1);
			registry.remove(rule.getId());
			assertThat(waiter.get(1, TimeUnit.MINUTES)).isTrue();
			await().atMost(Duration.ofMinutes(1)).until(() -> patientStats.getActiveConnections() == 0);
			assertThat(patientStats.getThreadsAwaitingConnection()).isZero();
		}
	}

	@Test
	void moreConnectionsThanThePoolHasAreRefusedNamingConnections() {
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> this.registry
				.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).connections(POOL_SIZE + 1).build()))
			.satisfies((ex) -> {
				assertThat(ex.getField()).isEqualTo("connections");
				assertThat(ex.getReason()).isEqualTo("must not exceed the pool's maximum of 4 connections, was 5");
			});
		assertThat(this.registry.getRules()).isEmpty();
		assertThat(this.stats.getActiveConnections()).isZero();
	}

	private void borrow(int connections) throws SQLException {
		for (int i = 0; i < connections; i++) {
			this.application.add(this.pool.getConnection());
		}
	}

	private void returnAll() throws SQLException {
		for (Connection connection : this.application) {
			connection.close();
		}
		this.application.clear();
	}

	private void awaitActive(int connections) {
		await().atMost(Duration.ofMinutes(1)).until(() -> this.stats.getActiveConnections() == connections);
	}

	/**
	 * Return the server the pool connects to, started.
	 * @return the server
	 */
	abstract ManagedDatabase server();

	private HikariDataSource pool() {
		ManagedDatabase server = server();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(server.jdbcUrl());
		config.setUsername(server.username());
		config.setPassword(server.password());
		config.setMaximumPoolSize(POOL_SIZE);
		// Hikari's least: the application's borrows from the empty pool fail soon.
		config.setConnectionTimeout(250);
		return new HikariDataSource(config);
	}

}
