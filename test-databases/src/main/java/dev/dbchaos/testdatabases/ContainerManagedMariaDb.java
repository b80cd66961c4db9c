package dev.dbchaos.testdatabases;

import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link ManagedMariaDb} in a Docker container, through Testcontainers.
 * <p>
 * The container, its port kept across restarts, and the outages (stop, kill, pause for
 * {@link #freeze()}) are {@link ServerContainer}'s. {@link #close()} removes the
 * container, and with it the data.
 * <p>
 * In the container the fixture's superuser is {@code root}, with the tests' password; the
 * tests' user is given the same privileges as on a local server.
 * <p>
 * Testcontainers ({@code org.testcontainers:mariadb}) is an optional dependency of this
 * module: a test that uses this class must add it.
 */
public final class ContainerManagedMariaDb extends AbstractManagedMariaDb {

	/** The image used unless another is given. */
	public static final String DEFAULT_IMAGE = "mariadb:10.11";

	private static final int CONTAINER_PORT = 3306;

	private final ServerContainer<MariaDBContainer<?>> container;

	private boolean bootstrapped;

	/**
	 * Create a server from {@value #DEFAULT_IMAGE}.
	 */
	public ContainerManagedMariaDb() {
		this(DEFAULT_IMAGE);
	}

	/**
	 * Create a server from the given image.
	 * @param image an official {@code mariadb} image or a compatible one
	 */
	public ContainerManagedMariaDb(String image) {
		this(image, TcpPorts.findFree(), ServerContainer.dockerHost());
	}

	private ContainerManagedMariaDb(String image, int port, String host) {
		// The image gives root the password of the user it creates.
		super(port, new MariaDbAdmin(host, port, "root", PASSWORD));
		this.container = new ServerContainer<>("MariaDB", host, port, CONTAINER_PORT,
				new MariaDBContainer<>(DockerImageName.parse(image).asCompatibleSubstituteFor("mariadb"))
					.withDatabaseName(DATABASE)
					.withUsername(USERNAME)
					.withPassword(PASSWORD)
					// Options after the image's entry point go to mariadbd, as on a local
					// server.
					.withCommand("--skip-name-resolve", "--max-connections=200", "--character-set-server=utf8mb4",
							"--collation-server=utf8mb4_general_ci", "--innodb-buffer-pool-size=16M",
							"--innodb-flush-log-at-trx-commit=2", "--innodb-doublewrite=0"));
	}

	@Override
	public synchronized void start() {
		assertNotClosed();
		// Before the container exists, so that no container outlives the JVM.
		registerShutdownHook();
		this.container.startOrResume();
		admin().awaitAcceptingConnections(STARTUP_TIMEOUT);
		if (!this.bootstrapped) {
			admin().ensureTestUser(USERNAME, PASSWORD);
			this.bootstrapped = true;
		}
	}

	@Override
	public synchronized void stop() {
		// SIGTERM: the shutdown a service manager asks for.
		this.container.stop();
	}

	@Override
	public synchronized void kill() {
		this.container.kill();
	}

	@Override
	public synchronized void freeze() {
		this.container.freeze();
	}

	@Override
	public synchronized void thaw() {
		this.container.thaw();
	}

	@Override
	public synchronized boolean isRunning() {
		return this.container.isRunning();
	}

	@Override
	boolean isFrozen() {
		return this.container.isFrozen();
	}

	@Override
	public synchronized String logTail(int lines) {
		return this.container.logTail(lines);
	}

	@Override
	void release() {
		this.container.remove();
	}

	@Override
	public String toString() {
		return "ContainerManagedMariaDb[" + jdbcUrl() + "]";
	}

}
