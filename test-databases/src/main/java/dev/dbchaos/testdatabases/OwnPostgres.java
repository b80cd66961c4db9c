package dev.dbchaos.testdatabases;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL server of the test class's own, for tests that stop, kill or freeze it:
 * started before the class's first test, given back running after each test whatever the
 * test did to it (so that no test depends on the order it runs in), and removed after the
 * last. <pre class="code">
 * &#64;RegisterExtension
 * static final OwnPostgres postgres = new OwnPostgres();
 *
 * &#64;DynamicPropertySource
 * static void database(DynamicPropertyRegistry registry) {
 *     PostgresProperties.register(registry, postgres.server());
 * }
 * </pre> Register it on a static field: a Spring test's context, and with it the
 * {@code @DynamicPropertySource} that reads the server's URL, is created after the
 * class's {@code beforeAll} callbacks, when the server is running.
 */
public final class OwnPostgres implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

	private final ManagedPostgres server = ManagedPostgres.create();

	/**
	 * Return the server, to stop, freeze or connect to.
	 * @return the server
	 */
	public ManagedPostgres server() {
		return this.server;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.server.start();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		// Restarts a stopped or killed server and thaws a frozen one; nothing when it
		// runs.
		this.server.start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.server.close();
	}

}
