package dev.dbchaos.demo.database;

import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Tells the repositories which database they talk to, and refuses a MariaDB without the
 * profile that configures its driver.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	/** The profile that configures the shop for MariaDB. */
	static final String MARIADB_PROFILE = "mariadb";

	@Bean
	SqlDialect sqlDialect(DataSourceProperties dataSource, Environment environment) {
		SqlDialect dialect = SqlDialect.forJdbcUrl(dataSource.determineUrl());
		// Without it the driver would read PgJDBC's socketTimeout=5 (seconds) as 5 ms.
		if (dialect == SqlDialect.MARIADB && !environment.acceptsProfiles(Profiles.of(MARIADB_PROFILE))) {
			throw new IllegalStateException("spring.datasource.url leads to MariaDB: start the shop with "
					+ "--spring.profiles.active=" + MARIADB_PROFILE + " (application-" + MARIADB_PROFILE
					+ ".properties sets MariaDB Connector/J's timeouts, in milliseconds, and the migrations)");
		}
		return dialect;
	}

}
