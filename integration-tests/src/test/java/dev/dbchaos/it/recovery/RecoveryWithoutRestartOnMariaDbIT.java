package dev.dbchaos.it.recovery;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.OwnMariaDb;

/**
 * {@link AbstractRecoveryWithoutRestartIT} on MariaDB, through MariaDB Connector/J, with
 * the demo's {@code mariadb} profile.
 */
@ActiveProfiles("mariadb")
class RecoveryWithoutRestartOnMariaDbIT extends AbstractRecoveryWithoutRestartIT {

	/** A server of its own: this scenario stops and freezes it. */
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

	/**
	 * {@inheritDoc}
	 * <p>
	 * MariaDB Connector/J: 08000, "Socket error" on the killed session (the server closed
	 * it) and "Connection is closed" after.
	 */
	@Override
	List<String> killedSessionStates() {
		return List.of("[08000]");
	}

}
