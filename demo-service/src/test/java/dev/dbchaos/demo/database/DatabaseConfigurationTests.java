package dev.dbchaos.demo.database;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A MariaDB URL needs the {@code mariadb} profile, whose driver settings it would
 * otherwise read in the wrong unit.
 */
class DatabaseConfigurationTests {

	@Test
	void mariaDbWithoutTheProfileStopsTheStartSayingWhichProfile() {
		assertThatIllegalStateException().isThrownBy(
				() -> new DatabaseConfiguration().sqlDialect(url("jdbc:mariadb://db/shop"), new StandardEnvironment()))
			.withMessageContaining("--spring.profiles.active=mariadb");
	}

	@Test
	void mariaDbWithTheProfileIsMariaDb() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.setActiveProfiles("mariadb");
		assertThat(new DatabaseConfiguration().sqlDialect(url("jdbc:mariadb://db/shop"), environment))
			.isEqualTo(SqlDialect.MARIADB);
	}

	@Test
	void postgresqlNeedsNoProfile() {
		assertThat(new DatabaseConfiguration().sqlDialect(url("jdbc:postgresql://db/shop"), new StandardEnvironment()))
			.isEqualTo(SqlDialect.POSTGRESQL);
	}

	private static DataSourceProperties url(String url) {
		DataSourceProperties properties = new DataSourceProperties();
		properties.setUrl(url);
		return properties;
	}

}
