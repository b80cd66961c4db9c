package dev.dbchaos.autoconfigure;

import java.sql.SQLException;

import org.apache.commons.dbcp2.BasicDataSource;

import dev.dbchaos.jdbc.ChaosDriver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Dbcp2ChaosInstaller}: where dbchaos goes in a Commons DBCP2 pool (a
 * {@link ChaosDriver} through {@code setDriver}), auto-configured by Spring Boot or
 * declared by the application, on a real PostgreSQL.
 */
class Dbcp2ChaosInstallerTests extends AbstractBeneathPoolInstallerTests<BasicDataSource> {

	Dbcp2ChaosInstallerTests() {
		super(BasicDataSource.class, "dbcp2", "spring.datasource.dbcp2");
	}

	@Override
	BasicDataSource newPool() {
		BasicDataSource pool = new BasicDataSource();
		pool.setDriverClassName("org.postgresql.Driver");
		pool.setUrl(postgres.jdbcUrl());
		pool.setUsername(postgres.username());
		pool.setPassword(postgres.password());
		return pool;
	}

	@Override
	void start(BasicDataSource pool) throws SQLException {
		pool.setInitialSize(1);
		pool.start();
	}

	@Override
	Object connectsThrough(BasicDataSource pool) {
		return pool.getDriver();
	}

	@Override
	void assertChaosFor(Object connectsThrough, String name) {
		assertThat(connectsThrough).isInstanceOfSatisfying(ChaosDriver.class, (chaos) -> {
			assertThat(chaos.getChaosDataSource().getName()).isEqualTo(name);
			assertThat(chaos.getDriver()).isInstanceOf(org.postgresql.Driver.class);
		});
	}

	@Override
	String maximumSizeProperty() {
		return "max-total";
	}

}
