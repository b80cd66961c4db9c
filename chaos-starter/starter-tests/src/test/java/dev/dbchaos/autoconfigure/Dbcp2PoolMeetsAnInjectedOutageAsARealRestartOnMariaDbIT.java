package dev.dbchaos.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.dbchaos.testdatabases.OwnMariaDb;

/**
 * Seed 001 for Commons DBCP2 on MariaDB (MariaDB Connector/J): see
 * {@link AbstractPoolMeetsAnInjectedOutageAsARealRestartIT}.
 */
class Dbcp2PoolMeetsAnInjectedOutageAsARealRestartOnMariaDbIT
		extends AbstractPoolMeetsAnInjectedOutageAsARealRestartIT {

	/** A server of its own: the tests restart it. */
	@RegisterExtension
	static final OwnMariaDb mariaDb = new OwnMariaDb();

	@Override
	Server server() {
		return ownedMariaDb(mariaDb.server());
	}

	@Override
	List<String> poolProperties(boolean validated) {
		return dbcp2Pool(validated);
	}

}
