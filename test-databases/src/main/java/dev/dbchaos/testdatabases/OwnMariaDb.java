package dev.dbchaos.testdatabases;

/**
 * A MariaDB server of the test class's own, for tests that stop, kill, freeze it or make
 * it read-only: started before the class's first test, given back running and writable
 * after each test whatever the test did to it (so that no test depends on the order it
 * runs in), and removed after the last. <pre class="code">
 * &#64;RegisterExtension
 * static final OwnMariaDb mariadb = new OwnMariaDb();
 * </pre> Register it on a static field: a Spring test's context, and with it the
 * {@code @DynamicPropertySource} that reads the server's URL, is created after the
 * class's {@code beforeAll} callbacks, when the server is running.
 */
public final class OwnMariaDb extends OwnDatabase<ManagedMariaDb> {

	/**
	 * Create a server of the kind {@link ManagedMariaDb#create()} chooses.
	 */
	public OwnMariaDb() {
		super(ManagedMariaDb.create());
	}

	@Override
	void restore(ManagedMariaDb server) {
		super.restore(server);
		server.setReadOnly(false);
	}

}
