package dev.dbchaos.testdatabases;

import java.time.Duration;

/**
 * What the {@link ManagedPostgres} implementations share however they run the server: the
 * tests' user and database, the administration through {@link PostgresAdmin}, the checks
 * before it, and closing exactly once, also from a shutdown hook should nobody close the
 * server before the JVM exits.
 */
abstract class AbstractManagedPostgres implements ManagedPostgres {

	/** The user the tests connect as. */
	static final String USERNAME = "dbchaos";

	/** The password of {@link #USERNAME}. */
	static final String PASSWORD = "dbchaos";

	/** The database the tests connect to, owned by {@link #USERNAME}. */
	static final String DATABASE = "dbchaos";

	/** How long a start may take until the server accepts connections. */
	static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	/** How long a stop or kill may take until the port refuses connections. */
	static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	private final int port;

	private final PostgresAdmin admin;

	private final Thread shutdownHook = new Thread(this::closeOnShutdown, "dbchaos-postgres-shutdown");

	private boolean hookRegistered;

	private boolean closed;

	/**
	 * Create a server that will listen on the given port.
	 * @param port the port, kept across restarts
	 * @param admin the administration connection to the server, as a superuser
	 */
	AbstractManagedPostgres(int port, PostgresAdmin admin) {
		this.port = port;
		this.admin = admin;
	}

	/**
	 * Return whether the server is frozen: running, but answering nothing.
	 * @return whether the server is frozen
	 */
	abstract boolean isFrozen();

	/**
	 * Give back what the server holds (its process, container, data), called once by
	 * {@link #close()}.
	 */
	abstract void release();

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

	private void assertAnswering(String action) {
		if (!isRunning()) {
			throw new IllegalStateException("Cannot " + action + ": PostgreSQL is not running");
		}
		if (isFrozen()) {
			throw new IllegalStateException("Cannot " + action + ": PostgreSQL is frozen, thaw() it first");
		}
	}

	@Override
	public final String jdbcUrl() {
		return this.admin.jdbcUrl(DATABASE);
	}

	@Override
	public final String username() {
		return USERNAME;
	}

	@Override
	public final String password() {
		return PASSWORD;
	}

	@Override
	public final String database() {
		return DATABASE;
	}

	@Override
	public final int port() {
		return this.port;
	}

	final PostgresAdmin admin() {
		return this.admin;
	}

	/**
	 * Make sure the server is closed when the JVM exits, if nobody closes it before.
	 */
	final synchronized void registerShutdownHook() {
		if (!this.hookRegistered) {
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
			this.hookRegistered = true;
		}
	}

	final void assertNotClosed() {
		if (this.closed) {
			throw new IllegalStateException("This ManagedPostgres has been closed");
		}
	}

	@Override
	public final synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			release();
		}
		finally {
			removeShutdownHook();
		}
	}

	private void closeOnShutdown() {
		try {
			close();
		}
		catch (Throwable ex) {
			// Too late to report to anyone but the console.
			System.err.println("dbchaos: could not close " + this + ": " + ex);
		}
	}

	private void removeShutdownHook() {
		if (!this.hookRegistered) {
			return;
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down: the hook is what is closing us.
		}
	}

}
