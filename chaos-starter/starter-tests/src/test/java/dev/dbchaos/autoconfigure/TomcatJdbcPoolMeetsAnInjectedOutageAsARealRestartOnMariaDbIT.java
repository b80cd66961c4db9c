package dev.dbchaos.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.dbchaos.testdatabases.OwnMariaDb;

/**
 * Seed 001 for Tomcat JDBC on MariaDB (MariaDB Connector/J): see
 * {@link AbstractPoolMeetsAnInjectedOutageAsARealRestartIT}.
 */
class TomcatJdbcPoolMeetsAnInjectedOutageAsARealRestartOnMariaDbIT
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
		return tomcatJdbcPool(validated);
	}

}
