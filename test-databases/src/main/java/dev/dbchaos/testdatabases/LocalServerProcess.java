package dev.dbchaos.testdatabases;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process of a server running on this machine, known by its pid file: what a local
 * server does to itself with signals (kill, freeze, thaw), whatever the server is.
 */
final class LocalServerProcess {

	private static final Logger logger = LoggerFactory.getLogger(LocalServerProcess.class);

	private final String product;

	private final Path pidFile;

	private final int port;

	private boolean frozen;

	/**
	 * Describe a server's process.
	 * @param product the server's name in messages, such as "PostgreSQL"
	 * @param pidFile its pid file, directly in its data directory
	 * @param port the port it listens on
	 */
	LocalServerProcess(String product, Path pidFile, int port) {
		this.product = product;
		this.pidFile = pidFile;
		this.port = port;
	}

	Path pidFile() {
		return this.pidFile;
	}

	/**
	 * The pid of the server, if it is alive.
	 * @return the pid or empty
	 */
	synchronized OptionalLong pid() {
		return ServerProcesses.liveServer(this.pidFile);
	}

	synchronized boolean isRunning() {
		return pid().isPresent();
	}

	synchronized boolean isFrozen() {
		return this.frozen;
	}

	/**
	 * SIGKILL the server and its children, and wait until they have died and the port
	 * refuses connections. Nothing when it is not running.
	 */
	synchronized void kill() {
		pid().ifPresent(this::killAndAwait);
		this.frozen = false;
	}

	/**
	 * Kill a server that an earlier run left running in this place.
	 */
	synchronized void killLeftover() {
		pid().ifPresent((pid) -> {
			logger.warn("Killing {} (pid {}) left running by an earlier run ({})", this.product, pid, this.pidFile);
			killAndAwait(pid);
		});
	}

	private void killAndAwait(long pid) {
		List<Long> pids = ServerProcesses.kill(pid);
		awaitDown(pids, AbstractManagedServer.SHUTDOWN_TIMEOUT);
	}

	/**
	 * Wait until the processes have died and the port refuses connections.
	 * @param pids the processes
	 * @param timeout how long to wait at most
	 */
	void awaitDown(List<Long> pids, Duration timeout) {
		Poll.until(this.product + " processes " + pids + " have died and port " + this.port + " refuses connections",
				timeout, () -> pids.stream().noneMatch(ServerProcesses::isAlive)
						&& !TcpPorts.isAccepting(TcpPorts.LOOPBACK, this.port));
	}

	synchronized void freeze() {
		long pid = pid()
			.orElseThrow(() -> new IllegalStateException("Cannot freeze " + this.product + ": it is not running"));
		ServerProcesses.freeze(pid);
		this.frozen = true;
	}

	synchronized void thaw() {
		pid().ifPresent(ServerProcesses::thaw);
		this.frozen = false;
	}

}
