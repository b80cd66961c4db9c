package dev.dbchaos.testdatabases;

/**
 * What the {@link ManagedMariaDb} implementations share however they run the server: the
 * URLs and the administration through {@link MariaDbAdmin}.
 */
abstract class AbstractManagedMariaDb extends AbstractManagedServer implements ManagedMariaDb {

	private final MariaDbAdmin admin;

	/**
	 * Create a server that will listen on the given port.
	 * @param port the port, kept across restarts
	 * @param admin the administration connection to the server, as a superuser
	 */
	AbstractManagedMariaDb(int port, MariaDbAdmin admin) {
		super("MariaDB", port);
		this.admin = admin;
	}

	@Override
	public final synchronized int terminateConnections() {
		assertAnswering("terminate connections");
		return this.admin.killClientSessions();
	}

	@Override
	public final synchronized String createDatabase(String name) {
		assertAnswering("create a database");
		return this.admin.ensureDatabase(name);
	}

	@Override
	public final synchronized void setReadOnly(boolean readOnly) {
		assertAnswering("set read_only");
		this.admin.setReadOnly(readOnly);
	}

	@Override
	public final synchronized boolean isReadOnly() {
		assertAnswering("read read_only");
		return this.admin.isReadOnly();
	}

	@Override
	public final String jdbcUrl() {
		return this.admin.jdbcUrl("mariadb", DATABASE);
	}

	@Override
	public final String mysqlJdbcUrl() {
		return this.admin.jdbcUrl("mysql", DATABASE);
	}

	final MariaDbAdmin admin() {
		return this.admin;
	}

}
