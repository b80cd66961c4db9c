package dev.dbchaos.demo.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which dialect a JDBC URL leads to. What each dialect's statements do is tested against
 * the real servers (the order and confirmation tests on each database).
 */
class SqlDialectTests {

	@Test
	void postgresqlUrlIsPostgresql() {
		assertThat(SqlDialect.forJdbcUrl("jdbc:postgresql://db:5432/shop")).isEqualTo(SqlDialect.POSTGRESQL);
	}

	@Test
	void bothMysqlProtocolSchemesAreMariaDb() {
		assertThat(SqlDialect.forJdbcUrl("jdbc:mariadb://db:3306/shop")).isEqualTo(SqlDialect.MARIADB);
		assertThat(SqlDialect.forJdbcUrl("jdbc:mysql://db:3306/shop")).isEqualTo(SqlDialect.MARIADB);
	}

	@Test
	void otherDatabasesAreRefusedByName() {
		assertThatIllegalStateException().isThrownBy(() -> SqlDialect.forJdbcUrl("jdbc:h2:mem:shop"))
			.withMessageContaining("jdbc:h2:mem:shop");
	}

	@Test
	void mariaDbRefusesToRewriteWhatIsNoInsert() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SqlDialect.MARIADB.insertUnlessDuplicate("UPDATE stock SET quantity = 0", "id"));
	}

}
