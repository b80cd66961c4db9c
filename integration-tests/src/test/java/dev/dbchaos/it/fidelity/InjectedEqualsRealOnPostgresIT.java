package dev.dbchaos.it.fidelity;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.it.support.ShopDatabase;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;
import dev.dbchaos.testdatabases.OwnPostgres;

/**
 * {@link AbstractInjectedEqualsRealIT} on PostgreSQL, through PgJDBC.
 */
class InjectedEqualsRealOnPostgresIT extends AbstractInjectedEqualsRealIT {

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
	 * PostgreSQL: the database's {@code default_transaction_read_only}, which new
	 * sessions take, and its sessions terminated.
	 */
	@Override
	void failOver(boolean readOnly, ShopDatabase database) {
		database.update("ALTER DATABASE " + server().database()
				+ (readOnly ? " SET default_transaction_read_only = on" : " RESET default_transaction_read_only"));
		server().terminateConnections();
	}

}
