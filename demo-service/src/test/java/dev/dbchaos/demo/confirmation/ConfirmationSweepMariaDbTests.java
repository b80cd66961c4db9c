package dev.dbchaos.demo.confirmation;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.PostgresProperties;

/**
 * {@link AbstractConfirmationSweepTests} on MariaDB, with the profile {@code mariadb}.
 */
@ActiveProfiles("mariadb")
class ConfirmationSweepMariaDbTests extends AbstractConfirmationSweepTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		PostgresProperties.register(registry, ManagedMariaDb.shared(), "confirmation_sweep_tests");
	}

}
