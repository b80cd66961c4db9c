package dev.dbchaos.jdbc;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ChaosDataSource} and the connections it hands out, against a real
 * PostgreSQL.
 */
class ChaosDataSourceTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	private final ExecutorService executor = Executors.newCachedThreadPool();

	@BeforeAll
	static void createTable() throws SQLException {
		try (Connection connection = raw(postgres.jdbcUrl()).getConnection()) {
			connection.createStatement()
				.execute("create table if not exists chaos_items (id serial primary key, name text)");
		}
	}

	@AfterEach
	void cleanUp() {
		this.registry.close();
		this.executor.shutdownNow();
	}

	@Test
	void passesCallsThroughWhenNoRuleIsActive() throws SQLException {
		try (Connection connection = chaos().getConnection()) {
			assertThat(queryOne(connection)).isEqualTo(1);
		}
	}

	@Test
	void latencyHoldsEachMatchingCallBackByTheDelay() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(200)).build());
		try (Connection connection = chaos().getConnection()) {
			long start = System.nanoTime();
			queryOne(connection);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		}
	}

	@Test
	void errorThrowsTheSqlStateWithTheDriversUsualMessage() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40P01").operation(Operation.QUERY).build());
		try (Connection connection = chaos().getConnection()) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40P01"))
				.withMessageContaining("deadlock detected");
		}
	}

	@Test
	void errorCarriesACustomMessage() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("XX000").message("disk on fire").build());
		try (Connection connection = raw(postgres.jdbcUrl()).getConnection()) {
			ChaosConnection chaos = new ChaosConnection(connection,
					new FaultInjector(this.registry, "dataSource", JdbcFailures.forUrl(postgres.jdbcUrl(), null), null),
					new OpenConnections("dataSource"));
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(chaos))
				.withMessageContaining("disk on fire");
		}
	}

	@Test
	void readOnlyRefusesWritesAndServesReads() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.READ_ONLY).build());
		try (Connection connection = chaos().getConnection()) {
			assertThat(queryOne(connection)).isEqualTo(1);
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(
						() -> connection.createStatement().executeUpdate("insert into chaos_items (name) values ('x')"))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("25006"))
				.withMessageContaining("cannot execute INSERT in a read-only transaction");
		}
	}

	@Test
	void readOnlyFailsABatchAsTheDriverWould() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.READ_ONLY).build());
		try (Connection connection = chaos().getConnection();
				PreparedStatement insert = connection.prepareStatement("insert into chaos_items (name) values (?)")) {
			insert.setString(1, "a");
			insert.addBatch();
			assertThatExceptionOfType(BatchUpdateException.class).isThrownBy(insert::executeBatch).satisfies((ex) -> {
				assertThat(ex.getSQLState()).isEqualTo("25006");
				assertThat(ex.getNextException().getSQLState()).isEqualTo("25006");
			});
		}
	}

	@Test
	void outageRefusesNewConnections() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> chaos().getConnection()).satisfies((ex) -> {
			assertThat(ex.getSQLState()).isEqualTo("08001");
			assertThat(ex.getCause()).isInstanceOf(java.net.ConnectException.class);
		});
	}

	@Test
	void outageCutsAnOpenConnectionForGood() throws SQLException {
		try (Connection connection = chaos().getConnection()) {
			FaultRule outage = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(connection)).satisfies((ex) -> {
				assertThat(ex.getSQLState()).isEqualTo("57P01");
				assertThat(ex.getNextException().getSQLState()).isEqualTo("08006");
			});
			this.registry.remove(outage.getId());
			assertThat(connection.isClosed()).isTrue();
			assertThat(connection.isValid(1)).isFalse();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(connection))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08003"));
		}
	}

	@Test
	void injectedCommitFailureRollsTheTransactionBackAsTheServerWould() throws SQLException {
		String name = "commit-error-" + System.nanoTime();
		try (Connection connection = chaos().getConnection()) {
			connection.setAutoCommit(false);
			connection.createStatement().executeUpdate("insert into chaos_items (name) values ('" + name + "')");
			FaultRule error = this.registry
				.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.COMMIT).build());
			assertThatExceptionOfType(SQLException.class).isThrownBy(connection::commit)
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("40001"));
			this.registry.remove(error.getId());
			// Restoring auto-commit commits an open transaction: there must be none left.
			connection.setAutoCommit(true);
		}
		assertThat(countItems(name)).isZero();
	}

	@Test
	void errorFaultsNeverFailARollback() throws SQLException {
		String name = "rollback-error-" + System.nanoTime();
		try (Connection connection = chaos().getConnection()) {
			connection.setAutoCommit(false);
			connection.createStatement().executeUpdate("insert into chaos_items (name) values ('" + name + "')");
			FaultRule error = this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").build());
			// A reachable server always accepts a rollback: the transaction is gone
			// afterwards.
			connection.rollback();
			this.registry.remove(error.getId());
			connection.setAutoCommit(true);
		}
		assertThat(countItems(name)).isZero();
	}

	@Test
	void outageOnRollbackLeavesNothingCommitted() throws SQLException {
		String name = "rollback-outage-" + System.nanoTime();
		try (Connection connection = chaos().getConnection()) {
			connection.setAutoCommit(false);
			connection.createStatement().executeUpdate("insert into chaos_items (name) values ('" + name + "')");
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
			assertThatExceptionOfType(SQLException.class).isThrownBy(connection::rollback)
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"));
		}
		this.registry.clear();
		assertThat(countItems(name)).isZero();
	}

	@Test
	void fullOutageCutsEveryOpenConnectionEvenOnceItHasEnded() throws SQLException {
		ChaosDataSource dataSource = chaos();
		try (Connection idle = dataSource.getConnection(); Connection busy = dataSource.getConnection()) {
			FaultRule outage = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
			this.registry.remove(outage.getId());
			// As after a real restart: the sessions are gone although the server is back.
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(busy))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"));
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(busy))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("08003"));
			assertThat(idle.isValid(1)).isFalse();
			try (Connection fresh = dataSource.getConnection()) {
				assertThat(queryOne(fresh)).isEqualTo(1);
			}
		}
	}

	@Test
	void partialOutageLeavesConnectionsItDidNotHitAlone() throws SQLException {
		try (Connection connection = chaos().getConnection()) {
			FaultRule outage = this.registry
				.add(FaultSpec.builder(FaultType.OUTAGE).operation(Operation.UPDATE).build());
			this.registry.remove(outage.getId());
			assertThat(queryOne(connection)).isEqualTo(1);
		}
	}

	@Test
	void outageDuringATransactionRollsItBack() throws SQLException {
		String name = "half-" + System.nanoTime();
		try (Connection connection = chaos().getConnection()) {
			connection.setAutoCommit(false);
			connection.createStatement().executeUpdate("insert into chaos_items (name) values ('" + name + "')");
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).operation(Operation.COMMIT).build());
			assertThatExceptionOfType(SQLException.class).isThrownBy(connection::commit)
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"));
		}
		this.registry.clear();
		try (Connection connection = raw(postgres.jdbcUrl()).getConnection();
				ResultSet rows = connection.createStatement()
					.executeQuery("select count(*) from chaos_items where name = '" + name + "'")) {
			rows.next();
			assertThat(rows.getInt(1)).isZero();
		}
	}

	@Test
	void outageMakesValidationFail() throws SQLException {
		try (Connection connection = chaos().getConnection()) {
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
			assertThat(connection.isValid(1)).isFalse();
		}
	}

	@Test
	void scopedOutageFailsValidationTheScopeAsksFor() throws SQLException {
		try (Connection connection = chaos().getConnection()) {
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).scope("t-1").build());
			assertThat(connection.isValid(1)).isTrue();
			try (DbChaosScope.Binding binding = DbChaosScope.bind("t-1")) {
				// Called by the application, not by a pool validating on its own behalf.
				assertThat(connection.isValid(1)).isFalse();
			}
		}
	}

	@Test
	void scopedOutageLeavesThePoolsOwnValidationAloneOnAScopedThread() throws SQLException {
		ChaosDataSource chaos = chaos().detectPoolCalls(PoolCallDetector.byCallerClass(PoolLike.class.getName()));
		try (Connection connection = chaos.getConnection()) {
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).scope("t-1").build());
			try (DbChaosScope.Binding binding = DbChaosScope.bind("t-1")) {
				// The pool validates on the borrowing thread: its check is for every
				// scope.
				assertThat(PoolLike.validate(connection)).isTrue();
				assertThat(connection.isValid(1)).as("the application's own check").isFalse();
			}
		}
	}

	@Test
	void hangBlocksUntilTheRuleIsRemovedThenGoesOn() throws Exception {
		CountDownLatch blocked = onInjection();
		FaultRule hang = this.registry.add(FaultSpec.builder(FaultType.HANG).operation(Operation.QUERY).build());
		try (Connection connection = chaos().getConnection()) {
			Future<Integer> query = this.executor.submit(() -> queryOne(connection));
			assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(query.isDone()).isFalse();
			this.registry.remove(hang.getId());
			assertThat(query.get(10, TimeUnit.SECONDS)).isEqualTo(1);
		}
	}

	@Test
	void hangEndsWithTheDriversSocketTimeout() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.HANG).operation(Operation.QUERY).build());
		try (Connection connection = chaos(postgres.jdbcUrl() + "?socketTimeout=1").getConnection()) {
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(connection)).satisfies((ex) -> {
				assertThat(ex.getSQLState()).isEqualTo("08006");
				assertThat(ex.getCause()).isInstanceOf(java.net.SocketTimeoutException.class);
			});
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
			assertThat(connection.isClosed()).isTrue();
		}
	}

	@Test
	void hungCallGivesUpWhenItsThreadIsInterrupted() throws Exception {
		CountDownLatch blocked = onInjection();
		this.registry.add(FaultSpec.builder(FaultType.HANG).operation(Operation.QUERY).build());
		try (Connection connection = chaos().getConnection()) {
			CompletableFuture<Boolean> interruptedFlag = new CompletableFuture<>();
			Thread caller = new Thread(() -> {
				try {
					queryOne(connection);
					interruptedFlag.completeExceptionally(new AssertionError("query went through"));
				}
				catch (SQLException ex) {
					interruptedFlag
						.complete(Thread.currentThread().isInterrupted() && "08006".equals(ex.getSQLState()));
				}
			});
			caller.start();
			assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
			caller.interrupt();
			assertThat(interruptedFlag.get(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void closingTheRegistryReleasesHungCalls() throws Exception {
		CountDownLatch blocked = onInjection();
		this.registry.add(FaultSpec.builder(FaultType.HANG).operation(Operation.QUERY).build());
		try (Connection connection = chaos().getConnection()) {
			Future<Integer> query = this.executor.submit(() -> queryOne(connection));
			assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
			this.registry.close();
			assertThat(query.get(10, TimeUnit.SECONDS)).isEqualTo(1);
		}
	}

	@Test
	void scopedRuleLeavesOtherScopesAlone() throws SQLException {
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").scope("t-1").build());
		try (Connection connection = chaos().getConnection()) {
			assertThat(queryOne(connection)).isEqualTo(1);
			try (DbChaosScope.Binding binding = DbChaosScope.bind("t-1")) {
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> queryOne(connection));
			}
		}
	}

	@Test
	void wrappersLeadBackToTheDriverAndToThemselves() throws SQLException {
		try (Connection connection = chaos().getConnection(); Statement statement = connection.createStatement()) {
			assertThat(statement.getConnection()).isSameAs(connection);
			assertThat(connection.isWrapperFor(PGConnection.class)).isTrue();
			assertThat(connection.unwrap(PGConnection.class)).isNotNull();
			assertThat(connection.unwrap(ChaosConnection.class)).isSameAs(connection);
		}
	}

	private CountDownLatch onInjection() {
		CountDownLatch injected = new CountDownLatch(1);
		this.registry.addListener(new FaultListener() {
			@Override
			public void injected(FaultRule rule, JdbcCall call) {
				injected.countDown();
			}
		});
		return injected;
	}

	private ChaosDataSource chaos() {
		return chaos(postgres.jdbcUrl());
	}

	private ChaosDataSource chaos(String url) {
		return new ChaosDataSource(raw(url), this.registry, "dataSource", url, new Properties()).register();
	}

	private static SimpleDriverDataSource raw(String url) {
		return new SimpleDriverDataSource(new org.postgresql.Driver(), url, postgres.username(), postgres.password());
	}

	private static int countItems(String name) throws SQLException {
		try (Connection connection = raw(postgres.jdbcUrl()).getConnection();
				ResultSet rows = connection.createStatement()
					.executeQuery("select count(*) from chaos_items where name = '" + name + "'")) {
			rows.next();
			return rows.getInt(1);
		}
	}

	private static int queryOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select 1")) {
			result.next();
			return result.getInt(1);
		}
	}

	/**
	 * Stands in for a pool's class that validates connections.
	 */
	private static final class PoolLike {

		static boolean validate(Connection connection) throws SQLException {
			return connection.isValid(1);
		}

	}

}
