package dev.dbchaos.jdbc;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcFailures#forUrl(String, java.util.Properties)}: which driver's
 * failures a data source gets.
 */
class JdbcFailuresTests {

	@Test
	void postgresqlUrlsGetPgJdbcFailures() {
		assertThat(JdbcFailures.forUrl("jdbc:postgresql://localhost:5432/shop", null))
			.isInstanceOf(PgJdbcFailures.class);
	}

	@Test
	void mariadbUrlsGetMariaDbConnectorJFailures() {
		assertThat(JdbcFailures.forUrl("jdbc:mariadb://localhost:3307/shop", null))
			.isInstanceOf(MariaDbJdbcFailures.class);
	}

	@Test
	void mysqlUrlsGetMariaDbConnectorJFailuresOnlyWhereMariaDbConnectorJTakesThem() {
		assertThat(JdbcFailures.forUrl("jdbc:mysql://localhost:3306/shop?permitMysqlScheme", null))
			.isInstanceOf(MariaDbJdbcFailures.class);
		assertThat(JdbcFailures.forUrl("jdbc:mysql://localhost:3306/shop", null))
			.isNotInstanceOf(MariaDbJdbcFailures.class);
	}

	@Test
	void mysqlUrlsMariaDbConnectorJDoesNotTakeGetMySqlConnectorJFailures() {
		assertThat(JdbcFailures.forUrl("jdbc:mysql://localhost:3306/shop", null)).isInstanceOf(MySqlJdbcFailures.class);
		assertThat(JdbcFailures.forUrl("jdbc:mysql:loadbalance://db1:3306,db2:3306/shop", null))
			.isInstanceOf(MySqlJdbcFailures.class);
	}

	@Test
	void otherOrUnknownUrlsGetTheStandardExceptions() {
		assertThat(JdbcFailures.forUrl("jdbc:h2:mem:shop", null)).isInstanceOf(StandardJdbcFailures.class);
		assertThat(JdbcFailures.forUrl(null, null)).isInstanceOf(StandardJdbcFailures.class);
	}

	/**
	 * Drivers dbchaos imitates are optional: an application with none of them gets the
	 * standard exceptions for its URLs, and dbchaos never touches the missing drivers'
	 * classes.
	 */
	@Test
	void otherUrlsNeedNoneOfTheImitatedDriversOnTheClassPath() throws Exception {
		URL core = JdbcFailures.class.getProtectionDomain().getCodeSource().getLocation();
		try (URLClassLoader withoutDrivers = new URLClassLoader(new URL[] { core },
				ClassLoader.getPlatformClassLoader())) {
			Class<?> failures = withoutDrivers.loadClass(JdbcFailures.class.getName());
			for (String url : new String[] { "jdbc:h2:mem:shop", "jdbc:mysql://localhost:3306/shop",
					"jdbc:mariadb://localhost:3307/shop" }) {
				Object chosen = failures.getMethod("forUrl", String.class, Properties.class).invoke(null, url, null);
				assertThat(chosen.getClass().getSimpleName()).as(url).isEqualTo("StandardJdbcFailures");
			}
		}
	}

	@Test
	void mariaDbMessagesNameTheServerAsTheDriverDoes() {
		assertThat((Throwable) JdbcFailures.forUrl("jdbc:mariadb://db.example:3307/shop", null).connectionRefused())
			.hasMessageContaining("db.example:3307");
	}

}
