package dev.dbchaos.testdatabases;

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
 *     DatabaseProperties.register(registry, postgres.server());
 * }
 * </pre> Register it on a static field: a Spring test's context, and with it the
 * {@code @DynamicPropertySource} that reads the server's URL, is created after the
 * class's {@code beforeAll} callbacks, when the server is running.
 */
public final class OwnPostgres extends OwnDatabase<ManagedPostgres> {

	/**
	 * Create a server of the kind {@link ManagedPostgres#create()} chooses.
	 */
	public OwnPostgres() {
		super(ManagedPostgres.create());
	}

}
