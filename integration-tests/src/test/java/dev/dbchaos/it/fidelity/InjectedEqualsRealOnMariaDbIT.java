package dev.dbchaos.it.fidelity;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.OwnMariaDb;

/**
 * {@link AbstractInjectedEqualsRealIT} on MariaDB, through MariaDB Connector/J, with the
 * demo's {@code mariadb} profile.
 */
@ActiveProfiles("mariadb")
class InjectedEqualsRealOnMariaDbIT extends AbstractInjectedEqualsRealIT {

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
	 * MariaDB: the server's global {@code read_only} (writes fail with vendor code 1290),
	 * and its sessions killed.
	 */
	@Override
	void failOver(boolean readOnly, ShopDatabase database) {
		server().setReadOnly(readOnly);
		server().terminateConnections();
	}

}
