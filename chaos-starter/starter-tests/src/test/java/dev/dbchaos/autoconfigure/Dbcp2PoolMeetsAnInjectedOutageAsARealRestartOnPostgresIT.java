package dev.dbchaos.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.dbchaos.testdatabases.OwnPostgres;

/**
 * Seed 001 for Commons DBCP2 on PostgreSQL: see
 * {@link AbstractPoolMeetsAnInjectedOutageAsARealRestartIT}.
 */
class Dbcp2PoolMeetsAnInjectedOutageAsARealRestartOnPostgresIT
		extends AbstractPoolMeetsAnInjectedOutageAsARealRestartIT {

	/** A server of its own: the tests restart it. */
	@RegisterExtension
	static final OwnPostgres postgres = new OwnPostgres();

	@Override
	Server server() {
		return ownedPostgres(postgres.server());
	}

	@Override
	List<String> poolProperties(boolean validated) {
		return dbcp2Pool(validated);
	}

}
