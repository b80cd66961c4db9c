package dev.dbchaos.demo.confirmation;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.ManagedPostgres;
import dev.dbchaos.testdatabases.PostgresProperties;

/**
 * {@link AbstractConfirmationSweepTests} on PostgreSQL.
 */
class ConfirmationSweepPostgresTests extends AbstractConfirmationSweepTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		PostgresProperties.register(registry, ManagedPostgres.shared(), "confirmation_sweep_tests");
	}

}
