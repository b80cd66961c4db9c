package dev.dbchaos.testdatabases;

import java.time.Duration;
import java.util.Locale;

/**
 * What every managed server shares however it runs and whatever it is: the tests' user
 * and database names, a port kept for life, the checks before an administrative action,
 * and closing exactly once, also from a shutdown hook should nobody close the server
 * before the JVM exits.
 */
abstract class AbstractManagedServer implements ManagedDatabase {

	/** The user the tests connect as. */
	static final String USERNAME = "dbchaos";

	/** The password of {@link #USERNAME}. */
	static final String PASSWORD = "dbchaos";

	/** The database the tests connect to. */
	static final String DATABASE = "dbchaos";

	/** How long a start may take until the server accepts connections. */
	static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	/** How long a stop or kill may take until the port refuses connections. */
	static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	private final String product;

	private final int port;

	private final ShutdownHook shutdownHook;

	private boolean shared;

	private boolean closed;

	/**
	 * Create a server that will listen on the given port.
	 * @param product the server's name in messages, such as "PostgreSQL"
	 * @param port the port, kept across restarts
	 */
	AbstractManagedServer(String product, int port) {
		this.product = product;
		this.port = port;
		this.shutdownHook = new ShutdownHook("dbchaos-" + product.toLowerCase(Locale.ROOT) + "-shutdown",
				this::closeNow, this::toString);
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

	/**
	 * Check that the server can do what is asked of it.
	 * @param action what is asked, completing "cannot ..."
	 */
	final void assertAnswering(String action) {
		if (!isRunning()) {
			throw new IllegalStateException("Cannot " + action + ": " + this.product + " is not running");
		}
		if (isFrozen()) {
			throw new IllegalStateException("Cannot " + action + ": " + this.product + " is frozen, thaw() it first");
		}
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

	/**
	 * Make sure the server is closed when the JVM exits, if nobody closes it before.
	 */
	final synchronized void registerShutdownHook() {
		this.shutdownHook.register();
	}

	/**
	 * Make this the JVM's shared server: {@link #close()} does nothing from now on, so
	 * that a test using try-with-resources cannot take the server away from the others;
	 * the shutdown hook closes it when the JVM exits.
	 */
	final synchronized void shareUntilJvmExit() {
		this.shared = true;
		registerShutdownHook();
	}

	final void assertNotClosed() {
		if (this.closed) {
			throw new IllegalStateException("This managed " + this.product + " has been closed");
		}
	}

	@Override
	public final synchronized void close() {
		if (!this.shared) {
			closeNow();
		}
	}

	private synchronized void closeNow() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			release();
		}
		finally {
			this.shutdownHook.remove();
		}
	}

}
