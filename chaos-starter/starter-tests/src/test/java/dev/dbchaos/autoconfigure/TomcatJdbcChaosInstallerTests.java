package dev.dbchaos.autoconfigure;

import java.sql.SQLException;

import org.apache.tomcat.jdbc.pool.DataSource;

import dev.dbchaos.jdbc.ChaosDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TomcatJdbcChaosInstaller}: where dbchaos goes in a Tomcat JDBC pool (a
 * {@link ChaosDataSource} through {@code setDataSource}), auto-configured by Spring Boot
 * or declared by the application, on a real PostgreSQL.
 */
class TomcatJdbcChaosInstallerTests extends AbstractBeneathPoolInstallerTests<DataSource> {

	TomcatJdbcChaosInstallerTests() {
		super(DataSource.class, "tomcat-jdbc", "spring.datasource.tomcat");
	}

	@Override
	DataSource newPool() {
		DataSource pool = new DataSource();
		pool.setDriverClassName("org.postgresql.Driver");
		pool.setUrl(postgres.jdbcUrl());
		pool.setUsername(postgres.username());
		pool.setPassword(postgres.password());
		return pool;
	}

	@Override
	void start(DataSource pool) throws SQLException {
		pool.setInitialSize(1);
		pool.createPool();
	}

	@Override
	Object connectsThrough(DataSource pool) {
		return pool.getPoolProperties().getDataSource();
	}

	@Override
	void assertChaosFor(Object connectsThrough, String name) {
		assertThat(connectsThrough).isInstanceOfSatisfying(ChaosDataSource.class,
				(chaos) -> assertThat(chaos.getName()).isEqualTo(name));
	}

	@Override
	String maximumSizeProperty() {
		return "max-active";
	}

}
