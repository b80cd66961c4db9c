package dev.dbchaos.autoconfigure;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HikariChaosInstaller} with real HikariCP pools on a real PostgreSQL.
 */
class HikariChaosInstallerTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void aPoolNotStartedYetGetsAChaosDataSourceBeneathItThatIsNotRegisteredYet() {
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl(postgres.jdbcUrl());
			pool.setUsername(postgres.username());
			pool.setPassword(postgres.password());
			ChaosDataSource chaos = HikariChaosInstaller.installBeneath(pool, this.registry, "dataSource");
			assertThat(chaos).isNotNull();
			assertThat(pool.getDataSource()).isSameAs(chaos);
			assertThat(chaos.isRegistered()).isFalse();
			assertThat(this.registry.getDataSources()).isEmpty();
			assertThat(new JdbcTemplate(pool).queryForObject("select 1", Integer.class)).isOne();
		}
	}

	@Test
	void aPoolSealedBeforeItsTurnLeavesNoChaosDataSourceRegistered() {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(postgres.jdbcUrl());
		config.setUsername(postgres.username());
		config.setPassword(postgres.password());
		config.setAllowPoolSuspension(true);
		try (HikariDataSource pool = new HikariDataSource(config)) {
			// Started, so sealed; suspended, so not running: setDataSource throws.
			pool.getHikariPoolMXBean().suspendPool();
			assertThat(pool.isRunning()).isFalse();
			assertThat(HikariChaosInstaller.installBeneath(pool, this.registry, "dataSource")).isNull();
			assertThat(this.registry.getDataSources()).isEmpty();
			assertThat(pool.getDataSource()).isNull();
			pool.getHikariPoolMXBean().resumePool();
		}
	}

}
