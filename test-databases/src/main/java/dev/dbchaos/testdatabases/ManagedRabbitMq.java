package dev.dbchaos.testdatabases;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real RabbitMQ broker that tests start and stop: the {@code rabbitmq-server} installed
 * on this machine (see {@code RABBITMQ_BIN}), run as a throwaway node in a directory of
 * its own, never as the system's service.
 * <p>
 * Everything the node reads and writes is in that directory, named by RabbitMQ's
 * environment variables ({@code HOME} for the Erlang cookie,
 * {@code RABBITMQ_MNESIA_BASE}, {@code RABBITMQ_CONFIG_FILE},
 * {@code RABBITMQ_ENABLED_PLUGINS_FILE} (no plugins), {@code RABBITMQ_PID_FILE},
 * {@code RABBITMQ_CONF_ENV_FILE}, so that {@code /etc/rabbitmq} is not read), and it
 * listens on {@code 127.0.0.1} only, on three ports chosen once and kept across restarts:
 * AMQP ({@code RABBITMQ_NODE_PORT}), Erlang distribution ({@code RABBITMQ_DIST_PORT}) and
 * the node's own Erlang port mapper ({@code ERL_EPMD_PORT}), which this fixture starts
 * and stops, so that several brokers run side by side and none touches the system's
 * ({@code 5672}, {@code 4369}). The node is {@code dbchaos-<port>@localhost}; tests
 * connect as {@code guest}/{@code guest}, which RabbitMQ allows from this machine only.
 * <p>
 * RabbitMQ runs as the JVM's user, root included (it does not refuse root, unlike
 * PostgreSQL). {@link #start()} returns once the broker answers an AMQP handshake;
 * {@link #stop()} shuts it down cleanly (SIGTERM, as a service manager does) and returns
 * once its port refuses connections, keeping its data, so that {@link #start()} brings it
 * back on the same port. No broker outlives the JVM: a shutdown hook closes it, and
 * watchdog processes kill it and its port mapper should the JVM die without running its
 * hooks. {@link #close()} stops the broker, or kills it if it does not stop, stops the
 * port mapper and deletes the data; the log ({@code rabbitmq.log}) is kept for
 * post-mortems.
 */
public final class ManagedRabbitMq implements AutoCloseable {

	/** The user the tests connect as (RabbitMQ's default, from this machine only). */
	public static final String USERNAME = "guest";

	/** The password of {@link #USERNAME}. */
	public static final String PASSWORD = "guest";

	static final String PID_FILE = "rabbitmq.pid";

	static final String EPMD_PID_FILE = "epmd.pid";

	private static final Logger logger = LoggerFactory.getLogger(ManagedRabbitMq.class);

	// Erlang boots slowly on a busy machine.
	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private static final Path DEFAULT_ROOT = Path.of("target", "managed-rabbitmq");

	private static final List<String> KEPT_LOGS = List.of("rabbitmq.log", "epmd.log");

	private static final AtomicInteger sequence = new AtomicInteger();

	private final RabbitMqBinaries binaries;

	private final Path directory;

	private final int port;

	private final int distributionPort;

	private final int epmdPort;

	private final Path logFile;

	private final boolean sweepAbandoned;

	private final LocalServerProcess process;

	private final LocalServerProcess epmdProcess;

	private final ShutdownHook shutdownHook = new ShutdownHook("dbchaos-rabbitmq-shutdown", this::close,
			this::toString);

	private Process server;

	private Process epmd;

	private OrphanWatchdog watchdog;

	private OrphanWatchdog epmdWatchdog;

	private boolean initialized;

	private boolean closed;

	/**
	 * Create a broker in a new directory under {@code target/managed-rabbitmq} (relative
	 * to the working directory, the module's directory under Maven). Directories there
	 * abandoned by JVMs that died are cleaned up on start.
	 * @throws IllegalStateException if there is no RabbitMQ on this machine
	 */
	public ManagedRabbitMq() {
		this(DEFAULT_ROOT.toAbsolutePath()
			.resolve(
					AbandonedServers.RABBITMQ.directoryName(ProcessHandle.current().pid(), sequence.incrementAndGet())),
				true);
	}

	/**
	 * Create a broker in the given directory, which holds its data, configuration and
	 * log. A broker that a crashed earlier run left running there is killed on start, and
	 * its data replaced by a fresh one.
	 * @param directory the directory, created if needed
	 * @throws IllegalStateException if there is no RabbitMQ on this machine
	 */
	public ManagedRabbitMq(Path directory) {
		this(directory, false);
	}

	private ManagedRabbitMq(Path directory, boolean sweepAbandoned) {
		this(RabbitMqBinaries.find()
			.orElseThrow(() -> new IllegalStateException("No RabbitMQ: " + RabbitMqBinaries.INSTALL_HINT)), directory,
				sweepAbandoned, freePorts(3));
	}

	private ManagedRabbitMq(RabbitMqBinaries binaries, Path directory, boolean sweepAbandoned, int[] ports) {
		this.binaries = binaries;
		this.directory = directory.toAbsolutePath().normalize();
		this.port = ports[0];
		this.distributionPort = ports[1];
		this.epmdPort = ports[2];
		this.logFile = this.directory.resolve("rabbitmq.log");
		this.sweepAbandoned = sweepAbandoned;
		this.process = new LocalServerProcess("RabbitMQ", this.directory.resolve(PID_FILE), this.port);
		this.epmdProcess = new LocalServerProcess("epmd", this.directory.resolve(EPMD_PID_FILE), this.epmdPort);
	}

	private static int[] freePorts(int count) {
		Set<Integer> ports = new HashSet<>();
		while (ports.size() < count) {
			ports.add(TcpPorts.findFree());
		}
		return ports.stream().mapToInt(Integer::intValue).toArray();
	}

	/**
	 * Return whether this machine has RabbitMQ.
	 * @return whether {@code rabbitmq-server} and {@code epmd} were found
	 */
	public static boolean isInstalled() {
		return RabbitMqBinaries.find().isPresent();
	}

	/**
	 * Skip the calling test (JUnit) when this machine has no RabbitMQ, saying what to
	 * install; in CI ({@link ContinuousIntegration}) fail instead: there a test of a real
	 * broker may not be skipped.
	 * @throws IllegalStateException in CI, when there is no RabbitMQ
	 */
	public static void assumeInstalled() {
		if (isInstalled()) {
			return;
		}
		String message = "No RabbitMQ for this test: " + RabbitMqBinaries.INSTALL_HINT + ".";
		if (ContinuousIntegration.isCi()) {
			throw new IllegalStateException(message + " In CI this test may not be skipped.");
		}
		System.err.println("\n!!!!!!!! SKIPPED: " + message + " !!!!!!!!\n");
		Assumptions.abort(message);
	}

	/**
	 * Start the broker, or do nothing if it is running, and return once it answers an
	 * AMQP handshake. The first start creates its directory and starts its port mapper.
	 * @throws IllegalStateException if it does not start, with the last lines of its log
	 */
	public synchronized void start() {
		if (this.closed) {
			throw new IllegalStateException("This managed RabbitMQ has been closed");
		}
		if (!this.initialized) {
			initialize();
		}
		else if (isRunning()) {
			return;
		}
		Directories.deleteIfExists(this.process.pidFile());
		Process started = launch();
		this.server = started;
		try {
			Poll.until("RabbitMQ on port " + this.port + " answers an AMQP handshake", STARTUP_TIMEOUT, () -> {
				if (!started.isAlive()) {
					throw LogTail.failure(this.logFile, "rabbitmq-server exited with code " + started.exitValue(),
							null);
				}
				return AmqpHandshake.answers(TcpPorts.LOOPBACK, this.port);
			});
		}
		catch (IllegalStateException ex) {
			if (started.isAlive()) {
				throw LogTail.failure(this.logFile, "RabbitMQ started but does not answer", ex);
			}
			throw ex;
		}
	}

	private void initialize() {
		logger.info("Creating RabbitMQ node {} with {} in {}", nodeName(), this.binaries, this.directory);
		if (this.sweepAbandoned) {
			AbandonedServers.RABBITMQ.sweep(this.directory.getParent());
		}
		this.process.killLeftover();
		this.epmdProcess.killLeftover();
		Directories.deleteRecursively(this.directory);
		try {
			Files.createDirectories(this.directory);
			Files.writeString(configFile(), configuration(), StandardCharsets.UTF_8);
			// No plugins: the management plugin and its web port are not needed.
			Files.writeString(this.directory.resolve("enabled_plugins"), "[].\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not prepare " + this.directory, ex);
		}
		this.shutdownHook.register();
		this.initialized = true;
		startEpmd();
		this.watchdog = OrphanWatchdog.start(this.process.pidFile());
	}

	private Path configFile() {
		return this.directory.resolve("rabbitmq.conf");
	}

	private static String configuration() {
		return """
				# Written by dbchaos test-databases: a disposable broker, reachable from this
				# machine only (RABBITMQ_NODE_IP_ADDRESS), logging to its standard output.
				loopback_users.guest = true
				log.console = true
				log.console.level = info
				log.file = false
				# A nearly full disk on a CI machine must not block every publisher (the
				# default alarm is at 50 MB free).
				disk_free_limit.absolute = 1MB
				""";
	}

	// The node's own port mapper, started before the node so that the node registers
	// with it rather than starting a daemon of its own, which would outlive it.
	private void startEpmd() {
		List<String> command = List.of(this.binaries.epmd().toString(), "-port", Integer.toString(this.epmdPort),
				"-address", TcpPorts.LOOPBACK);
		try {
			this.epmd = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("epmd.log").toFile()))
				.start();
			Files.writeString(this.epmdProcess.pidFile(), this.epmd.pid() + "\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		this.epmdWatchdog = OrphanWatchdog.start(this.epmdProcess.pidFile());
		Process started = this.epmd;
		Poll.until("epmd listens on port " + this.epmdPort, STARTUP_TIMEOUT, () -> {
			if (!started.isAlive()) {
				throw LogTail.failure(this.directory.resolve("epmd.log"),
						"epmd exited with code " + started.exitValue(), null);
			}
			return TcpPorts.isAccepting(TcpPorts.LOOPBACK, this.epmdPort);
		});
	}

	private Process launch() {
		ProcessBuilder builder = new ProcessBuilder(this.binaries.server().toString())
			.directory(this.directory.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()));
		Map<String, String> environment = builder.environment();
		// Only what is set here: a RABBITMQ_ variable of the JVM's environment must not
		// point the node at the system's files.
		environment.keySet().removeIf((name) -> name.startsWith("RABBITMQ_") || name.startsWith("ERL_"));
		environment.putAll(environment());
		try {
			Process started = builder.start();
			logger.debug("Started rabbitmq-server, pid {}", started.pid());
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + this.binaries.server(), ex);
		}
	}

	private Map<String, String> environment() {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("HOME", this.directory.toString());
		environment.put("RABBITMQ_CONF_ENV_FILE", this.directory.resolve("rabbitmq-env.conf").toString());
		environment.put("RABBITMQ_CONFIG_FILE", configFile().toString());
		environment.put("RABBITMQ_ADVANCED_CONFIG_FILE", this.directory.resolve("advanced.config").toString());
		environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", this.directory.resolve("enabled_plugins").toString());
		environment.put("RABBITMQ_MNESIA_BASE", this.directory.resolve("mnesia").toString());
		environment.put("RABBITMQ_LOG_BASE", this.directory.resolve("log").toString());
		environment.put("RABBITMQ_PID_FILE", this.process.pidFile().toString());
		environment.put("RABBITMQ_NODENAME", nodeName());
		environment.put("RABBITMQ_NODE_IP_ADDRESS", TcpPorts.LOOPBACK);
		environment.put("RABBITMQ_NODE_PORT", Integer.toString(this.port));
		environment.put("RABBITMQ_DIST_PORT", Integer.toString(this.distributionPort));
		environment.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
		environment.put("ERL_EPMD_PORT", Integer.toString(this.epmdPort));
		environment.put("ERL_EPMD_ADDRESS", TcpPorts.LOOPBACK);
		return environment;
	}

	/**
	 * Shut the broker down cleanly, keeping its data, and return once its port refuses
	 * connections. Nothing when it is not running.
	 */
	public synchronized void stop() {
		OptionalLong pid = this.process.pid();
		if (pid.isPresent()) {
			ServerProcesses.terminate(pid.getAsLong());
			this.process.awaitDown(List.of(pid.getAsLong()), SHUTDOWN_TIMEOUT);
		}
		else if (this.server != null) {
			// Too early in its boot to have written its pid file: the start script
			// passes SIGTERM on to the node.
			this.server.destroy();
		}
		awaitExit(this.server, "rabbitmq-server");
		this.server = null;
	}

	// The start script waits for the node it started and ends with it.
	private static void awaitExit(Process process, String name) {
		if (process == null) {
			return;
		}
		try {
			if (!process.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("{} (pid {}) did not end, killing it", name, process.pid());
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	/**
	 * The broker's queues and how many consumers each has, as {@code rabbitmqctl} lists
	 * them: what a test waits on until the clients of a restarted broker have
	 * reconnected.
	 * @return the number of consumers by queue name
	 * @throws IllegalStateException if the broker does not answer
	 */
	public synchronized Map<String, Integer> consumersByQueue() {
		List<String> command = List.of(this.binaries.server().resolveSibling("rabbitmqctl").toString(), "list_queues",
				"name", "consumers", "--quiet", "--no-table-headers");
		OsCommands.Result result = OsCommands.run(command, this.directory, controlEnvironment(), COMMAND_TIMEOUT)
			.requireSuccess();
		Map<String, Integer> consumers = new LinkedHashMap<>();
		result.output()
			.lines()
			.map((line) -> line.split("\t"))
			.filter((fields) -> fields.length == 2)
			.forEach((fields) -> consumers.put(fields[0].trim(), Integer.parseInt(fields[1].trim())));
		return consumers;
	}

	// What rabbitmqctl needs to find the node and be let in: its name, port mapper and
	// Erlang cookie (in HOME).
	private Map<String, String> controlEnvironment() {
		Map<String, String> environment = new LinkedHashMap<>(environment());
		environment.keySet().retainAll(Set.of("HOME", "RABBITMQ_CONF_ENV_FILE", "RABBITMQ_NODENAME", "ERL_EPMD_PORT"));
		return environment;
	}

	/**
	 * Return whether the broker's node is alive (it may still be starting).
	 * @return whether it runs
	 */
	public synchronized boolean isRunning() {
		return this.process.isRunning();
	}

	/**
	 * The host the broker listens on.
	 * @return {@code 127.0.0.1}
	 */
	public String host() {
		return TcpPorts.LOOPBACK;
	}

	/**
	 * The broker's AMQP port, kept across restarts.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The user the tests connect as.
	 * @return {@value #USERNAME}
	 */
	public String username() {
		return USERNAME;
	}

	/**
	 * The password of {@link #username()}.
	 * @return {@value #PASSWORD}
	 */
	public String password() {
		return PASSWORD;
	}

	/**
	 * The Erlang node name of the broker.
	 * @return {@code dbchaos-<port>@localhost}
	 */
	public String nodeName() {
		return "dbchaos-" + this.port + "@localhost";
	}

	/**
	 * Spring Boot's connection properties for this broker.
	 * @return {@code spring.rabbitmq.host}, {@code port}, {@code username} and
	 * {@code password}
	 */
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.rabbitmq.host", host());
		properties.put("spring.rabbitmq.port", Integer.toString(this.port));
		properties.put("spring.rabbitmq.username", USERNAME);
		properties.put("spring.rabbitmq.password", PASSWORD);
		return properties;
	}

	/**
	 * The directory holding the broker's data ({@code mnesia}), configuration
	 * ({@code rabbitmq.conf}) and log ({@code rabbitmq.log}).
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * The last lines of the broker's log.
	 * @param lines how many
	 * @return the lines
	 */
	public String logTail(int lines) {
		return LogTail.of(this.logFile, lines);
	}

	OptionalLong serverPid() {
		return this.process.pid();
	}

	OptionalLong epmdPid() {
		return this.epmdProcess.pid();
	}

	/**
	 * Stop the broker (kill it if it does not stop) and its port mapper, and delete its
	 * data. Once closed it cannot be started again.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			release();
		}
		finally {
			this.shutdownHook.remove();
		}
	}

	private void release() {
		if (!this.initialized) {
			return;
		}
		try {
			shutDown();
		}
		finally {
			if (this.epmd != null) {
				this.epmd.destroy();
				awaitExit(this.epmd, "epmd");
			}
			// After the processes are gone and before their pid files go: the watchdogs
			// read the pid files to kill any survivor.
			closeWatchdogs();
			deleteAllButLogs();
		}
	}

	private void deleteAllButLogs() {
		List<Path> children;
		try (Stream<Path> list = Files.list(this.directory)) {
			children = list.filter((child) -> !KEPT_LOGS.contains(child.getFileName().toString())).toList();
		}
		catch (IOException ex) {
			logger.warn("Could not clean up {}", this.directory, ex);
			return;
		}
		children.forEach(Directories::deleteQuietly);
	}

	private void shutDown() {
		try {
			stop();
		}
		catch (RuntimeException ex) {
			logger.warn("RabbitMQ did not stop cleanly, killing it", ex);
			this.process.kill();
			if (this.server != null) {
				this.server.destroyForcibly();
			}
		}
	}

	private void closeWatchdogs() {
		if (this.watchdog != null) {
			this.watchdog.close();
		}
		if (this.epmdWatchdog != null) {
			Directories.deleteIfExists(this.epmdProcess.pidFile());
			this.epmdWatchdog.close();
		}
	}

	@Override
	public String toString() {
		return "ManagedRabbitMq[amqp://" + host() + ":" + this.port + ", " + nodeName() + ", " + this.directory + "]";
	}

}
