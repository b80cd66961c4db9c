package dev.dbchaos.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Held faults in an application as Spring Boot auto-configures it, against a real
 * PostgreSQL: a pool-exhaustion fault borrows from HikariCP, Tomcat JDBC and DBCP2 alike,
 * the application's borrow meets each pool's own timeout, and the pool's active count
 * goes back to its baseline; held faults of {@code dbchaos.faults[n]} are held from
 * start-up, refused naming their property, and released when the application shuts down.
 */
class PoolExhaustionOnEveryPoolIT {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final String url = postgres.createDatabase("held_faults");

	private static final int POOL_SIZE = 3;

	/**
	 * The pools, each with {@value #POOL_SIZE} connections at most and a short wait for
	 * one, and how each counts its borrowed connections.
	 */
	enum Pool {

		HIKARI(List.of("spring.datasource.type=com.zaxxer.hikari.HikariDataSource",
				"spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE,
				"spring.datasource.hikari.connection-timeout=250"), PoolExhaustionOnEveryPoolIT::activeInHikari),

		TOMCAT_JDBC(
				List.of("spring.datasource.type=org.apache.tomcat.jdbc.pool.DataSource",
						"spring.datasource.tomcat.initial-size=0", "spring.datasource.tomcat.min-idle=0",
						"spring.datasource.tomcat.max-idle=" + POOL_SIZE,
						"spring.datasource.tomcat.max-active=" + POOL_SIZE, "spring.datasource.tomcat.max-wait=250"),
				(dataSource) -> ((org.apache.tomcat.jdbc.pool.DataSource) dataSource).getActive()),

		DBCP2(List.of("spring.datasource.type=org.apache.commons.dbcp2.BasicDataSource",
				"spring.datasource.dbcp2.max-idle=" + POOL_SIZE, "spring.datasource.dbcp2.max-total=" + POOL_SIZE,
				"spring.datasource.dbcp2.max-wait-millis=250"),
				(dataSource) -> ((BasicDataSource) dataSource).getNumActive());

		private final List<String> properties;

		private final ToIntFunction<DataSource> active;

		Pool(List<String> properties, ToIntFunction<DataSource> active) {
			this.properties = properties;
			this.active = active;
		}

	}

	@ParameterizedTest
	@EnumSource(Pool.class)
	void exhaustedPoolFailsTheApplicationsBorrowWithItsOwnTimeoutAndGetsEveryConnectionBack(Pool pool) {
		application(pool).run((context) -> {
			assertThat(context).hasNotFailed();
			DataSource dataSource = context.getBean(DataSource.class);
			FaultRegistry faults = context.getBean(FaultRegistry.class);
			List<Connection> application = new ArrayList<>();
			application.add(dataSource.getConnection());
			FaultRule rule = faults.add(FaultSpec.builder(FaultType.POOL_EXHAUSTION).connections(2).build());
			await().atMost(Duration.ofMinutes(1)).until(() -> pool.active.applyAsInt(dataSource) == POOL_SIZE);
			assertThatExceptionOfType(SQLException.class).isThrownBy(dataSource::getConnection)
				.satisfies((ex) -> assertThat(ex.getClass().getName() + ": " + ex.getMessage())
					.startsWith(expectedFailure(pool)));
			faults.remove(rule.getId());
			assertThat(pool.active.applyAsInt(dataSource)).as("the application's one connection").isOne();
			application.get(0).close();
			assertThat(pool.active.applyAsInt(dataSource)).isZero();
		});
	}

	/** Hikari starts its pool, and its statistics, on the first borrow. */
	private static int activeInHikari(DataSource dataSource) {
		HikariPoolMXBean stats = ((HikariDataSource) dataSource).getHikariPoolMXBean();
		return (stats != null) ? stats.getActiveConnections() : 0;
	}

	private static String expectedFailure(Pool pool) {
		return switch (pool) {
			case HIKARI -> "java.sql.SQLTransientConnectionException: HikariPool-";
			case TOMCAT_JDBC -> "org.apache.tomcat.jdbc.pool.PoolExhaustedException: [";
			case DBCP2 -> "java.sql.SQLException: Cannot get a connection, pool error Timeout waiting for idle object";
		};
	}

	@Test
	void configuredPoolExhaustionIsHeldFromStartUp() {
		application(Pool.HIKARI).withPropertyValues("dbchaos.faults[0].type=pool-exhaustion").run((context) -> {
			assertThat(context).hasNotFailed();
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(context.getBean(FaultRegistry.class).getRules()).singleElement()
				.satisfies((rule) -> assertThat(rule.getType()).isEqualTo(FaultType.POOL_EXHAUSTION));
			await().atMost(Duration.ofMinutes(1)).until(() -> Pool.HIKARI.active.applyAsInt(dataSource) == POOL_SIZE);
		});
	}

	@Test
	void configuredHeldFaultTheDataSourceRefusesStopsTheStartNamingItsProperty() {
		application(Pool.HIKARI)
			.withPropertyValues("dbchaos.faults[0].type=pool-exhaustion", "dbchaos.faults[0].connections=1000")
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessage("Property dbchaos.faults[0].connections with value '1000' is invalid: must not exceed the "
						+ "pool's maximum of 3 connections, was 1000"));
	}

	@Test
	void configuredLockIsHeldFromStartUpAndReleasedWhenTheApplicationShutsDown() throws SQLException {
		try (Connection admin = DriverManager.getConnection(url, postgres.username(), postgres.password());
				Statement statement = admin.createStatement()) {
			statement.execute("create table if not exists migrated (id int primary key)");
			application(Pool.HIKARI)
				.withPropertyValues("dbchaos.faults[0].type=lock", "dbchaos.faults[0].table=migrated")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(grantedLocksOnMigrated(statement)).isEqualTo("AccessExclusiveLock");
				});
			assertThat(grantedLocksOnMigrated(statement)).as("after the shutdown").isEmpty();
		}
	}

	private static String grantedLocksOnMigrated(Statement statement) throws SQLException {
		try (ResultSet locks = statement.executeQuery("select coalesce(string_agg(l.mode, ', '), '') from pg_locks l "
				+ "join pg_class c on c.oid = l.relation where c.relname = 'migrated' and l.granted "
				+ "and l.pid <> pg_backend_pid()")) {
			locks.next();
			return locks.getString(1);
		}
	}

	private static ApplicationContextRunner application(Pool pool) {
		List<String> properties = new ArrayList<>(pool.properties);
		properties.addAll(List.of("dbchaos.enabled=true", "spring.datasource.url=" + url,
				"spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password()));
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class))
			.withPropertyValues(properties.toArray(String[]::new));
	}

}
