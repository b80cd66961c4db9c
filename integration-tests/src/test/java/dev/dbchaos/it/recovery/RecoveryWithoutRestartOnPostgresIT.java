package dev.dbchaos.it.recovery;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;
import dev.dbchaos.testdatabases.OwnPostgres;

/**
 * {@link AbstractRecoveryWithoutRestartIT} on PostgreSQL, through PgJDBC.
 */
class RecoveryWithoutRestartOnPostgresIT extends AbstractRecoveryWithoutRestartIT {

	/** A server of its own: this scenario stops and freezes it. */
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

	/**
	 * {@inheritDoc}
	 * <p>
	 * PgJDBC: 57P01 ("terminating connection due to administrator command") on the killed
	 * session, 08006 or 08003 on one already lost.
	 */
	@Override
	List<String> killedSessionStates() {
		return List.of("[57P01]", "[08003]", "[08006]");
	}

}
