package dev.dbchaos.testdatabases;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database server of the test class's own, for tests that stop, kill or freeze it:
 * started before the class's first test, given back running after each test whatever the
 * test did to it (so that no test depends on the order it runs in), and removed after the
 * last. Register {@link OwnPostgres} or {@link OwnMariaDb} on a static field.
 *
 * @param <S> the kind of server
 */
public abstract class OwnDatabase<S extends ManagedDatabase>
		implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

	private final S server;

	OwnDatabase(S server) {
		this.server = server;
	}

	/**
	 * Return the server, to stop, freeze or connect to.
	 * @return the server
	 */
	public final S server() {
		return this.server;
	}

	@Override
	public final void beforeAll(ExtensionContext context) {
		this.server.start();
	}

	@Override
	public final void afterEach(ExtensionContext context) {
		restore(this.server);
	}

	/**
	 * Undo whatever a test did to the server.
	 * @param server the server
	 */
	void restore(S server) {
		// Restarts a stopped or killed server and thaws a frozen one; nothing when it
		// runs.
		server.start();
	}

	@Override
	public final void afterAll(ExtensionContext context) {
		this.server.close();
	}

}
