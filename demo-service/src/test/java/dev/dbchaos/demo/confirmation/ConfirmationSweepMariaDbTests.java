package dev.dbchaos.demo.confirmation;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedMariaDb;

/**
 * {@link AbstractConfirmationSweepTests} on MariaDB, with the profile {@code mariadb}.
 */
@ActiveProfiles("mariadb")
class ConfirmationSweepMariaDbTests extends AbstractConfirmationSweepTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, ManagedMariaDb.shared(), "confirmation_sweep_tests");
	}

}
