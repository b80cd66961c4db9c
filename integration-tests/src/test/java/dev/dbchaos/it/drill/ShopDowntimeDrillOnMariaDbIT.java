package dev.dbchaos.it.drill;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.OwnMariaDb;

/**
 * {@link AbstractShopDowntimeDrillIT} on MariaDB, through MariaDB Connector/J, with the
 * demo's {@code mariadb} profile.
 */
@ActiveProfiles("mariadb")
class ShopDowntimeDrillOnMariaDbIT extends AbstractShopDowntimeDrillIT {

	/** A server of its own: this scenario stops it. */
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
