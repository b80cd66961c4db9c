package dev.dbchaos.demo.outage;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;
import dev.dbchaos.testdatabases.OwnPostgres;

/**
 * {@link AbstractStoppedDatabaseTests} on PostgreSQL.
 */
class StoppedPostgresTests extends AbstractStoppedDatabaseTests {

	@RegisterExtension
	static final OwnPostgres postgres = new OwnPostgres();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, postgres.server());
	}

	@Override
	ManagedPostgres server() {
		return postgres.server();
	}

}
