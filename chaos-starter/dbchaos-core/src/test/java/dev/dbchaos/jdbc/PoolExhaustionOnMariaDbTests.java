package dev.dbchaos.jdbc;

import dev.dbchaos.testdatabases.ManagedDatabase;
import dev.dbchaos.testdatabases.ManagedMariaDb;

/**
 * {@link AbstractPoolExhaustionTests} on MariaDB, through MariaDB Connector/J.
 */
class PoolExhaustionOnMariaDbTests extends AbstractPoolExhaustionTests {

	private static final ManagedMariaDb server = ManagedMariaDb.shared();

	@Override
	ManagedDatabase server() {
		return server;
	}

}
