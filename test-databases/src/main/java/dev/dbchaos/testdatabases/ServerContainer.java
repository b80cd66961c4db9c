package dev.dbchaos.testdatabases;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The Docker side of a managed server in a container, whatever the server: a container
 * published on a port chosen once (Testcontainers would pick a new one at every start,
 * and the JDBC URL must survive {@link #stop()} and {@link #kill()}), and the outages
 * made with the Docker API: stop, kill, and pause (the cgroup freezer) for a freeze.
 * <p>
 * Only loaded where Testcontainers is on the class path (see {@link Testcontainers}).
 *
 * @param <C> the type of the container
 */
final class ServerContainer<C extends GenericContainer<?>> {

	private final String product;

	private final String host;

	private final int port;

	private final C container;

	/**
	 * Create the container, not started.
	 * @param product the server's name in messages, such as "MariaDB"
	 * @param host the host the server is reached on, see {@link #dockerHost()}
	 * @param port the port on that host, kept across restarts
	 * @param containerPort the port the server listens on in the container
	 * @param container the container, configured for the server
	 */
	ServerContainer(String product, String host, int port, int containerPort, C container) {
		this.product = product;
		this.host = host;
		this.port = port;
		this.container = container;
		this.container.withCreateContainerCmdModifier((command) -> command.getHostConfig()
			.withPortBindings(new PortBinding(binding(), ExposedPort.tcp(containerPort))));
	}

	/**
	 * Return the host the server is reached on: this machine's loopback address where
	 * Docker runs here, else the Docker host.
	 * @return the host
	 */
	static String dockerHost() {
		String dockerHost = DockerClientFactory.instance().dockerHostIpAddress();
		return "localhost".equals(dockerHost) ? TcpPorts.LOOPBACK : dockerHost;
	}

	// Loopback only where Docker runs on this machine; a remote engine's port must be
	// reachable from here.
	private Ports.Binding binding() {
		return TcpPorts.LOOPBACK.equals(this.host) ? Ports.Binding.bindIpAndPort(TcpPorts.LOOPBACK, this.port)
				: Ports.Binding.bindPort(this.port);
	}

	/**
	 * Create and start the container the first time; later, start it again if stopped or
	 * killed and resume it if paused.
	 * @return whether the container was created by this call
	 */
	boolean startOrResume() {
		if (containerId() == null) {
			this.container.start();
			return true;
		}
		ContainerState state = state();
		if (Boolean.TRUE.equals(state.getPaused())) {
			docker().unpauseContainerCmd(containerId()).exec();
		}
		else if (!Boolean.TRUE.equals(state.getRunning())) {
			docker().startContainerCmd(containerId()).exec();
		}
		return false;
	}

	/**
	 * Stop the server with the image's stop signal, as a service manager would.
	 */
	void stop() {
		if (!isRunning()) {
			return;
		}
		thaw();
		docker().stopContainerCmd(containerId())
			.withTimeout((int) AbstractManagedServer.SHUTDOWN_TIMEOUT.toSeconds())
			.exec();
		awaitRefusing();
	}

	void kill() {
		if (!isRunning()) {
			return;
		}
		// Docker refuses to kill a paused container.
		thaw();
		docker().killContainerCmd(containerId()).exec();
		Poll.until("container " + containerId() + " has died", AbstractManagedServer.SHUTDOWN_TIMEOUT,
				() -> !isRunning());
		awaitRefusing();
	}

	private void awaitRefusing() {
		Poll.until("port " + this.port + " refuses connections", AbstractManagedServer.SHUTDOWN_TIMEOUT,
				() -> !TcpPorts.isAccepting(this.host, this.port));
	}

	void freeze() {
		if (!isRunning()) {
			throw new IllegalStateException("Cannot freeze " + this.product + ": it is not running");
		}
		if (!isFrozen()) {
			docker().pauseContainerCmd(containerId()).exec();
		}
	}

	void thaw() {
		if (isFrozen()) {
			docker().unpauseContainerCmd(containerId()).exec();
		}
	}

	boolean isRunning() {
		return containerId() != null && Boolean.TRUE.equals(state().getRunning());
	}

	boolean isFrozen() {
		return containerId() != null && Boolean.TRUE.equals(state().getPaused());
	}

	String logTail(int lines) {
		return (containerId() != null) ? LogTail.of(this.container.getLogs(), lines) : "";
	}

	/**
	 * Remove the container, and with it the data.
	 */
	void remove() {
		try {
			if (containerId() != null) {
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

}
