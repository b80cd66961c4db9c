package dev.dbchaos.it.drill;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.ManagedPostgres;
import dev.dbchaos.testdatabases.OwnPostgres;
import dev.dbchaos.testdatabases.PostgresProperties;

/**
 * {@link AbstractShopDowntimeDrillIT} on PostgreSQL, through PgJDBC.
 */
class ShopDowntimeDrillOnPostgresIT extends AbstractShopDowntimeDrillIT {

	/** A server of its own: this scenario stops it. */
	@RegisterExtension
	static final OwnPostgres postgres = new OwnPostgres();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		PostgresProperties.register(registry, postgres.server());
	}

	@Override
	ManagedPostgres server() {
		return postgres.server();
	}

}
