package dev.dbchaos.testdatabases;

/**
 * The JVM-wide server behind {@link ManagedPostgres#shared()}: a view of one lazily
 * created server whose {@link #close()} does nothing, so that a test using
 * try-with-resources cannot take the server away from the others. The server's own
 * shutdown hook closes it when the JVM exits.
 */
final class SharedManagedPostgres implements ManagedPostgres {

	private static SharedManagedPostgres instance;

	private final ManagedPostgres server;

	private SharedManagedPostgres(ManagedPostgres server) {
		this.server = server;
	}

	static synchronized ManagedPostgres get() {
		if (instance == null) {
			instance = new SharedManagedPostgres(ManagedPostgresFactory.create());
		}
		instance.start();
		return instance;
	}

	@Override
	public void start() {
		this.server.start();
	}

	@Override
	public void stop() {
		this.server.stop();
	}

	@Override
	public void kill() {
		this.server.kill();
	}

	@Override
	public void freeze() {
		this.server.freeze();
	}

	@Override
	public void thaw() {
		this.server.thaw();
	}

	@Override
	public int terminateConnections() {
		return this.server.terminateConnections();
	}

	@Override
	public String createDatabase(String name) {
		return this.server.createDatabase(name);
	}

	@Override
	public String jdbcUrl() {
		return this.server.jdbcUrl();
	}

	@Override
	public String username() {
		return this.server.username();
	}

	@Override
	public String password() {
		return this.server.password();
	}

	@Override
	public String database() {
		return this.server.database();
	}

	@Override
	public int port() {
		return this.server.port();
	}

	@Override
	public boolean isRunning() {
		return this.server.isRunning();
	}

	@Override
	public String logTail(int lines) {
		return this.server.logTail(lines);
	}

	/**
	 * Does nothing: the shared server lives until the JVM shuts down.
	 */
	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return "shared " + this.server;
	}

}
