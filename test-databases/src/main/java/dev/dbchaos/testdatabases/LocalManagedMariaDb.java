package dev.dbchaos.testdatabases;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ManagedMariaDb} that runs the MariaDB server installed on this machine (see
 * {@code MARIADB_BIN}) as a throwaway server in a directory of its own, never as the
 * system's service.
 * <p>
 * The data directory is created by the first {@link #start()} with
 * {@code mariadb-install-db}; {@code mariadbd} then listens on {@code 127.0.0.1} only, on
 * a port chosen once and kept, with its own option file, socket, pid file and log in that
 * directory, tuned for speed rather than durability. Tests connect as
 * {@code dbchaos}/{@code dbchaos} to the database {@code dbchaos}; the fixture itself
 * uses {@code root}, which has no password and can only connect from this machine.
 * <p>
 * As root, the server runs as root ({@code --user=root}), otherwise as the JVM's user. No
 * server outlives the JVM: a shutdown hook stops it, and a watchdog process kills it
 * should the JVM die without running its hooks. {@link #close()} stops the server, or
 * kills it if it does not stop, and deletes its data; the log is kept for post-mortems.
 */
public final class LocalManagedMariaDb extends AbstractManagedMariaDb {

	static final String DATA_DIRECTORY = "data";

	static final String PID_FILE = "mariadbd.pid";

	private static final Logger logger = LoggerFactory.getLogger(LocalManagedMariaDb.class);

	private static final String SUPERUSER = "root";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

	private static final Path DEFAULT_ROOT = Path.of("target", "managed-mariadb");

	// A Unix socket path must fit in sun_path (108 bytes with its terminator).
	private static final int MAX_SOCKET_PATH = 107;

	private static final AtomicInteger sequence = new AtomicInteger();

	private final MariaDbBinaries binaries;

	private final Path directory;

	private final Path dataDirectory;

	private final Path optionFile;

	private final Path socket;

	private final Path logFile;

	private final boolean sweepAbandoned;

	private final boolean root;

	private final LocalServerProcess process;

	private OrphanWatchdog watchdog;

	private boolean initialized;

	private boolean bootstrapped;

	/**
	 * Create a server in a new directory under {@code target/managed-mariadb} (relative
	 * to the working directory, the module's directory under Maven). Directories there
	 * abandoned by JVMs that died are cleaned up on start.
	 * @throws IllegalStateException if there is no MariaDB server on this machine
	 */
	public LocalManagedMariaDb() {
		this(DEFAULT_ROOT.toAbsolutePath()
			.resolve(AbandonedServers.MARIADB.directoryName(ProcessHandle.current().pid(), sequence.incrementAndGet())),
				true);
	}

	/**
	 * Create a server in the given directory, which holds its data, options, socket and
	 * log. A server that a crashed earlier run left running there is killed on start, and
	 * its data replaced by a fresh one.
	 * @param directory the directory, created if needed
	 * @throws IllegalStateException if there is no MariaDB server on this machine
	 */
	public LocalManagedMariaDb(Path directory) {
		this(directory, false);
	}

	private LocalManagedMariaDb(Path directory, boolean sweepAbandoned) {
		this(MariaDbBinaries.find()
			.orElseThrow(() -> new IllegalStateException("No MariaDB server: " + MariaDbBinaries.INSTALL_HINT)),
				directory, sweepAbandoned, TcpPorts.findFree());
	}

	private LocalManagedMariaDb(MariaDbBinaries binaries, Path directory, boolean sweepAbandoned, int port) {
		super(port, new MariaDbAdmin(TcpPorts.LOOPBACK, port, SUPERUSER, ""));
		this.binaries = binaries;
		this.directory = directory.toAbsolutePath().normalize();
		this.dataDirectory = this.directory.resolve(DATA_DIRECTORY);
		this.optionFile = this.directory.resolve("my.cnf");
		this.socket = socketPath(this.directory, port);
		this.logFile = this.directory.resolve("mariadb.log");
		this.sweepAbandoned = sweepAbandoned;
		this.root = OsCommands.detect().isRoot();
		this.process = new LocalServerProcess("MariaDB", this.dataDirectory.resolve(PID_FILE), port);
	}

	// Nothing here needs the socket (everything connects over TCP) but the server always
	// makes one, so on a deep working directory it goes to the temporary directory.
	private static Path socketPath(Path directory, int port) {
		Path socket = directory.resolve("mariadb.sock");
		if (socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
			return socket;
		}
		return Path.of(System.getProperty("java.io.tmpdir"), "dbchaos-mariadb-" + port + ".sock");
	}

	@Override
	public synchronized void start() {
		assertNotClosed();
		if (!this.initialized) {
			initialize();
		}
		else if (isRunning()) {
			if (isFrozen()) {
				thaw();
			}
			return;
		}
		clearStaleServerFiles();
		Process server = launch();
		try {
			Poll.until("MariaDB on port " + port() + " answers queries", STARTUP_TIMEOUT, () -> {
				if (!server.isAlive()) {
					throw LogTail.failure(this.logFile, "mariadbd exited with code " + server.exitValue(), null);
				}
				return admin().answers();
			});
		}
		catch (IllegalStateException ex) {
			if (server.isAlive()) {
				throw LogTail.failure(this.logFile, "MariaDB started but does not answer", ex);
			}
			throw ex;
		}
		if (!this.bootstrapped) {
			admin().ensureTestUser(USERNAME, PASSWORD);
			admin().ensureDatabase(DATABASE);
			this.bootstrapped = true;
		}
	}

	private Process launch() {
		List<String> command = new ArrayList<>(
				List.of(this.binaries.server().toString(), "--defaults-file=" + this.optionFile));
		if (this.root) {
			command.add("--user=root");
		}
		try {
			Process server = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
			logger.debug("Started mariadbd, pid {}", server.pid());
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
	}

	private void initialize() {
		logger.info("Creating MariaDB data directory with {} in {}, port {}", this.binaries, this.directory, port());
		if (this.sweepAbandoned) {
			AbandonedServers.MARIADB.sweep(this.directory.getParent());
		}
		this.process.killLeftover();
		Directories.deleteRecursively(this.dataDirectory);
		Directories.deleteIfExists(this.socket);
		Directories.deleteIfExists(this.logFile);
		try {
			Files.createDirectories(this.dataDirectory);
			Files.writeString(this.optionFile, options(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not prepare " + this.directory, ex);
		}
		List<String> command = new ArrayList<>(List.of(this.binaries.installDb().toString(),
				// A root without password (reachable from this machine only), no test
				// database, no host names: what a disposable server needs.
				"--defaults-file=" + this.optionFile, "--auth-root-authentication-method=normal", "--skip-test-db",
				"--skip-name-resolve"));
		if (this.root) {
			command.add("--user=root");
		}
		OsCommands.Result result = OsCommands.run(command, this.directory, COMMAND_TIMEOUT);
		if (!result.isSuccess()) {
			throw LogTail.failure(this.logFile, "mariadb-install-db failed: " + result.output().trim(), null);
		}
		registerShutdownHook();
		this.watchdog = OrphanWatchdog.start(this.process.pidFile());
		this.initialized = true;
	}

	private String options() {
		return """
				# Written by dbchaos test-databases: a disposable server, tuned for speed rather
				# than durability, and reachable from this machine only.
				[mysqld]
				datadir = %s
				pid-file = %s
				socket = %s
				log-error = %s
				port = %d
				bind-address = 127.0.0.1
				skip-name-resolve
				max_connections = 200
				character-set-server = utf8mb4
				collation-server = utf8mb4_general_ci
				performance_schema = OFF
				innodb_buffer_pool_size = 16M
				innodb_log_file_size = 16M
				innodb_flush_log_at_trx_commit = 2
				innodb_doublewrite = 0
				innodb_use_native_aio = 0
				sync_binlog = 0
				""".formatted(this.dataDirectory, this.process.pidFile(), this.socket, this.logFile, port());
	}

	@Override
	public synchronized void stop() {
		OptionalLong pid = this.process.pid();
		if (pid.isEmpty()) {
			return;
		}
		// A stopped process cannot shut down.
		thaw();
		ServerProcesses.terminate(pid.getAsLong());
		this.process.awaitDown(List.of(pid.getAsLong()), SHUTDOWN_TIMEOUT);
	}

	@Override
	public synchronized void kill() {
		this.process.kill();
		clearStaleServerFiles();
	}

	// A killed server leaves its pid file and socket behind.
	private void clearStaleServerFiles() {
		if (!this.process.isRunning()) {
			Directories.deleteIfExists(this.process.pidFile());
			Directories.deleteIfExists(this.socket);
		}
	}

	@Override
	public synchronized void freeze() {
		this.process.freeze();
	}

	@Override
	public synchronized void thaw() {
		this.process.thaw();
	}

	@Override
	boolean isFrozen() {
		return this.process.isFrozen();
	}

	@Override
	public boolean isRunning() {
		return this.process.isRunning();
	}

	/**
	 * The directory holding the server's data ({@code data}), options ({@code my.cnf})
	 * and log ({@code mariadb.log}).
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	OptionalLong serverPid() {
		return this.process.pid();
	}

	@Override
	public String logTail(int lines) {
		return LogTail.of(this.logFile, lines);
	}

	@Override
	void release() {
		try {
			if (this.initialized) {
				shutDown();
			}
		}
		finally {
			if (this.watchdog != null) {
				// Before the data goes: the watchdog reads the pid file to kill any
				// survivor.
				this.watchdog.close();
			}
			Directories.deleteQuietly(this.dataDirectory);
			Directories.deleteQuietly(this.socket);
		}
	}

	private void shutDown() {
		try {
			stop();
		}
		catch (RuntimeException ex) {
			logger.warn("MariaDB did not stop cleanly, killing it", ex);
			kill();
		}
	}

	@Override
	public String toString() {
		return "LocalManagedMariaDb[" + jdbcUrl() + ", " + this.directory + "]";
	}

}
