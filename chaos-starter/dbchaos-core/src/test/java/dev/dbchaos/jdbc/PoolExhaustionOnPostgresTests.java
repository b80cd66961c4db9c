package dev.dbchaos.jdbc;

import dev.dbchaos.testdatabases.ManagedDatabase;
import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * {@link AbstractPoolExhaustionTests} on PostgreSQL, through PgJDBC.
 */
class PoolExhaustionOnPostgresTests extends AbstractPoolExhaustionTests {

	private static final ManagedPostgres server = ManagedPostgres.shared();

	@Override
	ManagedDatabase server() {
		return server;
	}

}
