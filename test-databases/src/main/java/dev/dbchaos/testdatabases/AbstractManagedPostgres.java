package dev.dbchaos.testdatabases;

/**
 * What the {@link ManagedPostgres} implementations share however they run the server: the
 * administration through {@link PostgresAdmin}.
 */
abstract class AbstractManagedPostgres extends AbstractManagedServer implements ManagedPostgres {

	private final PostgresAdmin admin;

	/**
	 * Create a server that will listen on the given port.
	 * @param port the port, kept across restarts
	 * @param admin the administration connection to the server, as a superuser
	 */
	AbstractManagedPostgres(int port, PostgresAdmin admin) {
		super("PostgreSQL", port);
		this.admin = admin;
	}

	@Override
	public final synchronized int terminateConnections() {
		assertAnswering("terminate connections");
		return this.admin.terminateClientBackends();
	}

	@Override
	public final synchronized String createDatabase(String name) {
		assertAnswering("create a database");
		return this.admin.ensureDatabase(name, USERNAME);
	}

	@Override
	public final String jdbcUrl() {
		return this.admin.jdbcUrl(DATABASE);
	}

	final PostgresAdmin admin() {
		return this.admin;
	}

}
