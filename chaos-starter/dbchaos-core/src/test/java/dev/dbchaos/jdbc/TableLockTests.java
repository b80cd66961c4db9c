package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;
import dev.dbchaos.testdatabases.ManagedDatabase;
import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TableLock}: lock faults take a real lock on a real PostgreSQL and
 * MariaDB, the application's statements wait on it until the server's own timeout, and it
 * is always released.
 */
class TableLockTests {

	private static final String SELECT_STOCK = "select quantity from stock where id = 1";

	private static final String UPDATE_STOCK = "update stock set quantity = quantity - 1 where id = 1";

	/**
	 * What the two databases share: a registry, a chaos data source over the database
	 * registered with it, and the application's session, which waits on locks only as
	 * long as its own short lock timeout says.
	 */
	abstract static class OnDatabase {

		// Rules expire when the test says so, not on a busy machine's schedule.
		final SettableClock clock = new SettableClock();

		final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10), this.clock,
				new Random());

		DataSource raw;

		ChaosDataSource chaos;

		abstract ManagedDatabase database();

		abstract Driver driver();

		abstract String url();

		/** Make a session give up waiting for a lock after a short while. */
		abstract String shortLockTimeout();

		@BeforeEach
		void createStock() throws SQLException {
			ManagedDatabase database = database();
			this.raw = new SimpleDriverDataSource(driver(), url(), database.username(), database.password());
			this.chaos = new ChaosDataSource(this.raw, this.registry, "dataSource", url(), new Properties()).register();
			try (Connection connection = this.raw.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute("drop table if exists stock");
				statement.execute("create table stock (id int primary key, quantity int not null)");
				statement.execute("insert into stock values (1, 10)");
			}
		}

		@AfterEach
		void closeRegistry() {
			this.registry.close();
			this.chaos.close();
		}

		/**
		 * Run a statement as the application does, through the chaos data source.
		 * @return the failure it met, empty if it succeeded
		 */
		Optional<SQLException> applicationRuns(String sql) {
			try (Connection connection = this.chaos.getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute(shortLockTimeout());
				statement.execute(sql);
				return Optional.empty();
			}
			catch (SQLException ex) {
				return Optional.of(ex);
			}
		}

		FaultRule lock(FaultSpec.Builder spec) {
			return this.registry.add(spec.build());
		}

		FaultSpec.Builder lockOfStock() {
			return FaultSpec.builder(FaultType.LOCK).table("stock");
		}

		void assertRefused(FaultSpec.Builder spec, String field) {
			assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> lock(spec))
				.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(field));
			assertThat(this.registry.getRules()).isEmpty();
		}

		@Test
		void missingTableIsRefusedNamingTheTable() {
			assertRefused(FaultSpec.builder(FaultType.LOCK).table("nowhere"), "table");
		}

		@Test
		void applicationWaitsBehindTheLockUntilItsLockTimeout() throws SQLException {
			lock(lockOfStock());
			assertThat(applicationRuns(SELECT_STOCK)).isPresent();
			assertThat(applicationRuns(UPDATE_STOCK)).isPresent();
		}

		@Test
		void lockIsReleasedWhenTheFaultIsRemoved() throws SQLException {
			FaultRule rule = lock(lockOfStock());
			assertThat(applicationRuns(UPDATE_STOCK)).isPresent();
			this.registry.remove(rule.getId());
			assertThat(applicationRuns(UPDATE_STOCK)).isEmpty();
		}

		@Test
		void lockIsReleasedWhenTheFaultExpires() {
			FaultRule rule = lock(lockOfStock().duration(Duration.ofSeconds(30)));
			assertThat(applicationRuns(UPDATE_STOCK)).as("while the fault is active").isPresent();
			this.clock.advance(Duration.ofSeconds(30));
			assertThat(this.registry.expireDue()).containsExactly(rule);
			assertThat(applicationRuns(UPDATE_STOCK)).isEmpty();
		}

		@Test
		void lockIsReleasedWhenTheRegistryShutsDown() throws SQLException {
			lock(lockOfStock());
			this.registry.close();
			assertThat(applicationRuns(UPDATE_STOCK)).isEmpty();
		}

		@Test
		void applicationMeetsTheSameFailureBehindTheInjectedLockAsBehindAnotherSessionsLock() throws SQLException {
			Optional<SQLException> real;
			try (Connection other = this.raw.getConnection()) {
				lockAsAnotherSession(other);
				real = applicationRuns(UPDATE_STOCK);
				unlockAsAnotherSession(other);
			}
			FaultRule rule = lock(lockOfStock());
			Optional<SQLException> injectedFailure = applicationRuns(UPDATE_STOCK);
			this.registry.remove(rule.getId());
			SQLException expected = real.orElseThrow();
			SQLException injected = injectedFailure.orElseThrow();
			assertThat(injected.getClass()).isEqualTo(expected.getClass());
			assertThat(injected.getSQLState()).isEqualTo(expected.getSQLState());
			assertThat(injected.getErrorCode()).isEqualTo(expected.getErrorCode());
			assertThat(withoutThreadId(injected.getMessage())).isEqualTo(withoutThreadId(expected.getMessage()));
		}

		/** MariaDB's messages lead with the session's thread id, {@code (conn=25)}. */
		private static String withoutThreadId(String message) {
			return message.replaceFirst("^\\(conn=\\d+\\) ", "");
		}

		/** Take the strongest lock on stock in another session, as a migration does. */
		abstract void lockAsAnotherSession(Connection other) throws SQLException;

		abstract void unlockAsAnotherSession(Connection other) throws SQLException;

	}

	@Nested
	class OnPostgres extends OnDatabase {

		private static final ManagedPostgres postgres = ManagedPostgres.shared();

		private static final String url = postgres.createDatabase("table_lock");

		@Override
		ManagedDatabase database() {
			return postgres;
		}

		@Override
		Driver driver() {
			return new org.postgresql.Driver();
		}

		@Override
		String url() {
			return url;
		}

		@Override
		String shortLockTimeout() {
			return "set lock_timeout = '200ms'";
		}

		@Override
		void lockAsAnotherSession(Connection other) throws SQLException {
			other.setAutoCommit(false);
			try (Statement statement = other.createStatement()) {
				statement.execute("lock table stock in access exclusive mode");
			}
		}

		@Override
		void unlockAsAnotherSession(Connection other) throws SQLException {
			other.rollback();
		}

		@Test
		void lockIsAnAccessExclusiveLockHeldBeneathTheApplicationAndGoneOnceReleased() throws SQLException {
			FaultRule rule = lock(lockOfStock());
			assertThat(locksOnStock()).isEqualTo("AccessExclusiveLock granted");
			SQLException failure = applicationRuns(SELECT_STOCK).orElseThrow();
			assertThat(failure.getSQLState()).as("lock_not_available").isEqualTo("55P03");
			assertThat(failure.getMessage()).contains("canceling statement due to lock timeout");
			this.registry.remove(rule.getId());
			assertThat(locksOnStock()).isEmpty();
		}

		@Test
		void modeIsALockModeOfPostgres() throws SQLException {
			assertRefused(lockOfStock().mode("write"), "mode");
			lock(lockOfStock().mode("row-exclusive"));
			assertThat(locksOnStock()).isEqualTo("RowExclusiveLock granted");
			assertThat(applicationRuns(SELECT_STOCK)).as("a read beside a row exclusive lock").isEmpty();
		}

		@Test
		void tableMayBeNamedWithItsSchema() throws SQLException {
			lock(FaultSpec.builder(FaultType.LOCK).table("public.stock").mode("share"));
			assertThat(locksOnStock()).isEqualTo("ShareLock granted");
			assertThat(applicationRuns(UPDATE_STOCK)).isPresent();
		}

		/** The locks other sessions hold on stock, as pg_locks shows them. */
		private String locksOnStock() throws SQLException {
			try (Connection connection = this.raw.getConnection();
					Statement statement = connection.createStatement();
					ResultSet locks = statement.executeQuery("select string_agg(l.mode || case when l.granted then "
							+ "' granted' else ' waiting' end, ', ') from pg_locks l join pg_class c on c.oid = "
							+ "l.relation where c.relname = 'stock' and l.pid <> pg_backend_pid()")) {
				locks.next();
				String text = locks.getString(1);
				return (text != null) ? text : "";
			}
		}

	}

	@Nested
	class OnMariaDb extends OnDatabase {

		private static final ManagedMariaDb mariadb = ManagedMariaDb.shared();

		private static final String url = mariadb.createDatabase("table_lock");

		@Override
		ManagedDatabase database() {
			return mariadb;
		}

		@Override
		Driver driver() {
			return new org.mariadb.jdbc.Driver();
		}

		@Override
		String url() {
			return url;
		}

		@Override
		String shortLockTimeout() {
			return "set session lock_wait_timeout = 1";
		}

		@Override
		void lockAsAnotherSession(Connection other) throws SQLException {
			try (Statement statement = other.createStatement()) {
				statement.execute("lock tables stock write");
			}
		}

		@Override
		void unlockAsAnotherSession(Connection other) throws SQLException {
			try (Statement statement = other.createStatement()) {
				statement.execute("unlock tables");
			}
		}

		@Test
		void writeLockMakesTheApplicationMeetItsLockWaitTimeout() throws SQLException {
			lock(lockOfStock());
			SQLException failure = applicationRuns(SELECT_STOCK).orElseThrow();
			assertThat(failure.getErrorCode()).as("ER_LOCK_WAIT_TIMEOUT").isEqualTo(1205);
		}

		@Test
		void modeIsALockModeOfMariaDb() throws SQLException {
			assertRefused(lockOfStock().mode("access exclusive"), "mode");
			lock(lockOfStock().mode("read"));
			assertThat(applicationRuns(SELECT_STOCK)).as("a read beside a read lock").isEmpty();
			assertThat(applicationRuns(UPDATE_STOCK)).as("a write behind a read lock").isPresent();
		}

	}

	/**
	 * A clock that stands still until told to move.
	 */
	static final class SettableClock extends Clock {

		private volatile Instant now = Instant.now();

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
