package dev.dbchaos.testdatabases;

import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link ManagedPostgres} in a Docker container, through Testcontainers.
 * <p>
 * The container, its port kept across restarts, and the outages (stop, kill, pause for
 * {@link #freeze()}) are {@link ServerContainer}'s. {@link #close()} removes the
 * container, and with it the data.
 * <p>
 * Testcontainers ({@code org.testcontainers:postgresql}) is an optional dependency of
 * this module: a test that uses this class must add it.
 */
public final class ContainerManagedPostgres extends AbstractManagedPostgres {

	/** The image used unless another is given. */
	public static final String DEFAULT_IMAGE = "postgres:15-alpine";

	private static final int CONTAINER_PORT = 5432;

	private final ServerContainer<PostgreSQLContainer<?>> container;

	/**
	 * Create a server from {@value #DEFAULT_IMAGE}.
	 */
	public ContainerManagedPostgres() {
		this(DEFAULT_IMAGE);
	}

	/**
	 * Create a server from the given image.
	 * @param image an official {@code postgres} image or a compatible one
	 */
	public ContainerManagedPostgres(String image) {
		this(image, TcpPorts.findFree(), ServerContainer.dockerHost());
	}

	private ContainerManagedPostgres(String image, int port, String host) {
		// In the container the tests' user is the superuser.
		super(port, new PostgresAdmin(host, port, USERNAME, PASSWORD));
		this.container = new ServerContainer<>("PostgreSQL", host, port, CONTAINER_PORT,
				new PostgreSQLContainer<>(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
					.withDatabaseName(DATABASE)
					.withUsername(USERNAME)
					.withPassword(PASSWORD)
					.withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
							"full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=16MB"));
	}

	@Override
	public synchronized void start() {
		assertNotClosed();
		// Before the container exists, so that no container outlives the JVM.
		registerShutdownHook();
		this.container.startOrResume();
		admin().awaitAcceptingConnections(STARTUP_TIMEOUT);
	}

	@Override
	public synchronized void stop() {
		// The postgres image's stop signal is SIGINT: a fast shutdown.
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
		return "ContainerManagedPostgres[" + jdbcUrl() + "]";
	}

}
