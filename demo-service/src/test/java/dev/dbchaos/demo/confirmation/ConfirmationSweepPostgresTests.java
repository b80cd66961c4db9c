package dev.dbchaos.demo.confirmation;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * {@link AbstractConfirmationSweepTests} on PostgreSQL.
 */
class ConfirmationSweepPostgresTests extends AbstractConfirmationSweepTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, ManagedPostgres.shared(), "confirmation_sweep_tests");
	}

}
