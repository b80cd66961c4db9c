package dev.dbchaos.testdatabases;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link ManagedMariaDb} in a Docker container, through Testcontainers.
 * <p>
 * Testcontainers would publish the server on a new random port at every container start;
 * the port is bound explicitly instead so that the JDBC URL survives {@link #stop()} and
 * {@link #kill()}. Outages are made with the Docker API: stop, kill, and pause (the
 * cgroup freezer) for {@link #freeze()}. {@link #close()} removes the container, and with
 * it the data.
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

	private final String host;

	private final MariaDBContainer<?> container;

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
		this(image, TcpPorts.findFree(), dockerHost());
	}

	private ContainerManagedMariaDb(String image, int port, String host) {
		// The image gives root the password of the user it creates.
		super(port, new MariaDbAdmin(host, port, "root", PASSWORD));
		this.host = host;
		this.container = new MariaDBContainer<>(DockerImageName.parse(image).asCompatibleSubstituteFor("mariadb"))
			.withDatabaseName(DATABASE)
			.withUsername(USERNAME)
			.withPassword(PASSWORD)
			// Options after the image's entry point go to mariadbd, as on a local server.
			.withCommand("--skip-name-resolve", "--max-connections=200", "--character-set-server=utf8mb4",
					"--collation-server=utf8mb4_general_ci", "--innodb-buffer-pool-size=16M",
					"--innodb-flush-log-at-trx-commit=2", "--innodb-doublewrite=0")
			.withCreateContainerCmdModifier((command) -> command.getHostConfig()
				.withPortBindings(new PortBinding(binding(), ExposedPort.tcp(CONTAINER_PORT))));
	}

	private static String dockerHost() {
		String dockerHost = DockerClientFactory.instance().dockerHostIpAddress();
		return "localhost".equals(dockerHost) ? TcpPorts.LOOPBACK : dockerHost;
	}

	// Loopback only where Docker runs on this machine; a remote engine's port must be
	// reachable from here.
	private Ports.Binding binding() {
		return TcpPorts.LOOPBACK.equals(this.host) ? Ports.Binding.bindIpAndPort(TcpPorts.LOOPBACK, port())
				: Ports.Binding.bindPort(port());
	}

	@Override
	public synchronized void start() {
		assertNotClosed();
		if (this.container.getContainerId() == null) {
			registerShutdownHook();
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
		admin().awaitAcceptingConnections(STARTUP_TIMEOUT);
		if (!this.bootstrapped) {
			admin().ensureTestUser(USERNAME, PASSWORD);
			this.bootstrapped = true;
		}
	}

	@Override
	public synchronized void stop() {
		if (!isRunning()) {
			return;
		}
		thaw();
		// SIGTERM: the shutdown a service manager asks for.
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
		Poll.until("port " + port() + " refuses connections", SHUTDOWN_TIMEOUT,
				() -> !TcpPorts.isAccepting(this.host, port()));
	}

	@Override
	public synchronized void freeze() {
		if (!isRunning()) {
			throw new IllegalStateException("Cannot freeze MariaDB: it is not running");
		}
		if (!isFrozen()) {
			docker().pauseContainerCmd(containerId()).exec();
		}
	}

	@Override
	public synchronized void thaw() {
		if (isFrozen()) {
			docker().unpauseContainerCmd(containerId()).exec();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.container.getContainerId() != null && Boolean.TRUE.equals(state().getRunning());
	}

	@Override
	boolean isFrozen() {
		return this.container.getContainerId() != null && Boolean.TRUE.equals(state().getPaused());
	}

	@Override
	public synchronized String logTail(int lines) {
		return (this.container.getContainerId() != null) ? LogTail.of(this.container.getLogs(), lines) : "";
	}

	@Override
	void release() {
		try {
			if (this.container.getContainerId() != null) {
				thaw();
			}
		}
		finally {
			this.container.stop();
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

	@Override
	public String toString() {
		return "ContainerManagedMariaDb[" + jdbcUrl() + "]";
	}

}
