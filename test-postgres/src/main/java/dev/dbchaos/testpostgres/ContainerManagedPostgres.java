package dev.dbchaos.testpostgres;

import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link ManagedPostgres} in a Docker container, through Testcontainers.
 * <p>
 * Testcontainers would publish the server on a new random port at every container start;
 * the port is bound explicitly instead so that the JDBC URL survives {@link #stop()} and
 * {@link #kill()}. Outages are made with the Docker API: stop, kill, and pause (the
 * cgroup freezer) for {@link #freeze()}.
 * <p>
 * Testcontainers ({@code org.testcontainers:postgresql}) is an optional dependency of
 * this module: a test that uses this class must add it.
 */
public final class ContainerManagedPostgres implements ManagedPostgres {

	/** The image used unless another is given. */
	public static final String DEFAULT_IMAGE = "postgres:15-alpine";

	private static final String USERNAME = "dbchaos";

	private static final String PASSWORD = "dbchaos";

	private static final String DATABASE = "dbchaos";

	private static final int CONTAINER_PORT = 5432;

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	private final int port;

	private final String host;

	private final PostgreSQLContainer<?> container;

	private final PostgresAdmin admin;

	private final Thread shutdownHook = new Thread(this::closeOnShutdown, "dbchaos-postgres-shutdown");

	private boolean hookRegistered;

	private boolean closed;

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
		this.port = TcpPorts.findFree();
		String dockerHost = DockerClientFactory.instance().dockerHostIpAddress();
		this.host = "localhost".equals(dockerHost) ? TcpPorts.LOOPBACK : dockerHost;
		this.container = new PostgreSQLContainer<>(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
			.withDatabaseName(DATABASE)
			.withUsername(USERNAME)
			.withPassword(PASSWORD)
			.withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
					"-c", "max_connections=200", "-c", "shared_buffers=16MB")
			.withCreateContainerCmdModifier((command) -> command.getHostConfig()
				.withPortBindings(new PortBinding(binding(), ExposedPort.tcp(CONTAINER_PORT))));
		// In the container the tests' user is the superuser.
		this.admin = new PostgresAdmin(this.host, this.port, USERNAME, PASSWORD);
	}

	// Loopback only where Docker runs on this machine; a remote engine's port must be
	// reachable from here.
	private Ports.Binding binding() {
		return TcpPorts.LOOPBACK.equals(this.host) ? Ports.Binding.bindIpAndPort(TcpPorts.LOOPBACK, this.port)
				: Ports.Binding.bindPort(this.port);
	}

	@Override
	public synchronized void start() {
		assertNotClosed();
		if (this.container.getContainerId() == null) {
			if (!this.hookRegistered) {
				Runtime.getRuntime().addShutdownHook(this.shutdownHook);
				this.hookRegistered = true;
			}
			this.container.start();
		}
		else {
			ContainerState state = state();
			if (Boolean.TRUE.equals(state.getPaused())) {
				docker().unpauseContainerCmd(containerId()).exec();
			}
			else if (!Boolean.TRUE.equals(state.getRunning())) {
				docker().startContainerCmd(containerId()).exec();
			}
		}
		this.admin.awaitAcceptingConnections(STARTUP_TIMEOUT);
	}

	@Override
	public synchronized void stop() {
		if (!isRunning()) {
			return;
		}
		thaw();
		// The postgres image's stop signal is SIGINT: a fast shutdown.
		docker().stopContainerCmd(containerId()).withTimeout((int) SHUTDOWN_TIMEOUT.toSeconds()).exec();
		awaitRefusing();
	}

	@Override
	public synchronized void kill() {
		if (!isRunning()) {
			return;
		}
		// Docker refuses to kill a paused container.
		thaw();
		docker().killContainerCmd(containerId()).exec();
		Poll.until("container " + containerId() + " has died", SHUTDOWN_TIMEOUT, () -> !isRunning());
		awaitRefusing();
	}

	private void awaitRefusing() {
		Poll.until("port " + this.port + " refuses connections", SHUTDOWN_TIMEOUT,
				() -> !TcpPorts.isAccepting(this.host, this.port));
	}

	@Override
	public synchronized void freeze() {
		if (!isRunning()) {
			throw new IllegalStateException("Cannot freeze PostgreSQL: it is not running");
		}
		if (!isPaused()) {
			docker().pauseContainerCmd(containerId()).exec();
		}
	}

	@Override
	public synchronized void thaw() {
		if (isPaused()) {
			docker().unpauseContainerCmd(containerId()).exec();
		}
	}

	@Override
	public synchronized int terminateConnections() {
		assertAnswering("terminate connections");
		return this.admin.terminateClientBackends();
	}

	@Override
	public synchronized String createDatabase(String name) {
		assertAnswering("create a database");
		return this.admin.ensureDatabase(name, USERNAME);
	}

	private void assertAnswering(String action) {
		if (!isRunning()) {
			throw new IllegalStateException("Cannot " + action + ": PostgreSQL is not running");
		}
		if (isPaused()) {
			throw new IllegalStateException("Cannot " + action + ": PostgreSQL is frozen, thaw() it first");
		}
	}

	@Override
	public String jdbcUrl() {
		return this.admin.jdbcUrl(DATABASE);
	}

	@Override
	public String username() {
		return USERNAME;
	}

	@Override
	public String password() {
		return PASSWORD;
	}

	@Override
	public String database() {
		return DATABASE;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.container.getContainerId() != null && Boolean.TRUE.equals(state().getRunning());
	}

	private boolean isPaused() {
		return this.container.getContainerId() != null && Boolean.TRUE.equals(state().getPaused());
	}

	@Override
	public synchronized String logTail(int lines) {
		return (this.container.getContainerId() != null) ? LogTail.of(this.container.getLogs(), lines) : "";
	}

	/**
	 * Remove the container, and with it the data.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			if (this.container.getContainerId() != null) {
				thaw();
			}
		}
		finally {
			this.container.stop();
			removeShutdownHook();
		}
	}

	private void closeOnShutdown() {
		try {
			close();
		}
		catch (Throwable ex) {
			System.err.println("dbchaos: could not remove PostgreSQL container: " + ex);
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

	private ContainerState state() {
		return docker().inspectContainerCmd(containerId()).exec().getState();
	}

	private String containerId() {
		return this.container.getContainerId();
	}

	private DockerClient docker() {
		return this.container.getDockerClient();
	}

	private void assertNotClosed() {
		if (this.closed) {
			throw new IllegalStateException("This ManagedPostgres has been closed");
		}
	}

	@Override
	public String toString() {
		return "ContainerManagedPostgres[" + jdbcUrl() + "]";
	}

}
