package dev.dbchaos;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.jdbc.PoolCallDetector;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The README's plain-Java use of {@code dbchaos-core}, no Spring anywhere: a
 * {@link ChaosDataSource} by hand between a HikariCP pool and PgJDBC, and faults added
 * and removed on its {@link FaultRegistry}. If this test needs changing, so does the
 * README.
 */
class PlainJavaUsageTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	@Test
	void chaosDataSourceBeneathAPoolBreaksTheDatabaseUntilTheFaultIsRemoved() throws SQLException {
		PGSimpleDataSource driver = new PGSimpleDataSource();
		driver.setURL(postgres.jdbcUrl());
		driver.setUser(postgres.username());
		driver.setPassword(postgres.password());

		// Faults last 5 minutes unless they say otherwise, and never more than an hour.
		FaultRegistry faults = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1));
		// Known to the registry from register() to close(): listed among its data
		// sources, and a full
		// outage cuts the connections it has open.
		ChaosDataSource chaos = new ChaosDataSource(driver, faults, "orders", postgres.jdbcUrl(), null)
			// HikariCP validates connections on the borrowing thread: its own calls see
			// unscoped rules only.
			.detectPoolCalls(PoolCallDetector.byCallerClass("com.zaxxer.hikari.pool.PoolBase"))
			.register();
		HikariConfig config = new HikariConfig();
		config.setDataSource(chaos);
		config.setConnectionTimeout(5000);

		// Closed in reverse: the pool, then chaos (which unregisters it), then the
		// registry.
		try (faults; chaos; HikariDataSource pool = new HikariDataSource(config)) {
			assertThat(selectOne(pool)).isOne();
			assertThat(faults.getDataSources()).containsExactly("orders");

			FaultRule outage = faults.add(FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofSeconds(30)).build());
			// The connection the pool lends is cut, as by a server shutdown (57P01,
			// admin_shutdown).
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> selectOne(pool))
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("57P01"));

			// The outage cut the pool's open connections, as a restart does: the pool
			// replaces them.
			faults.remove(outage.getId());
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> selectOne(pool) == 1);
		}
		assertThat(faults.getDataSources()).isEmpty();
	}

	private static int selectOne(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			var result = statement.executeQuery("SELECT 1");
			result.next();
			return result.getInt(1);
		}
	}

}
