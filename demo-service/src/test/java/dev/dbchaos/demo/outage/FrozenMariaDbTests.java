package dev.dbchaos.demo.outage;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.OwnMariaDb;

/**
 * {@link AbstractFrozenDatabaseTests} on MariaDB, with the profile {@code mariadb}.
 */
@ActiveProfiles("mariadb")
class FrozenMariaDbTests extends AbstractFrozenDatabaseTests {

	@RegisterExtension
	static final OwnMariaDb mariadb = new OwnMariaDb();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, mariadb.server());
	}

	@Override
	ManagedMariaDb server() {
		return mariadb.server();
	}

}
