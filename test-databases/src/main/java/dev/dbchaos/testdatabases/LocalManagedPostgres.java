package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ManagedPostgres} that runs the PostgreSQL server binaries installed on this
 * machine (see {@code PG_BIN}) as a throwaway cluster in a directory of its own.
 * <p>
 * The cluster is created by the first {@link #start()}, listens on {@code 127.0.0.1}
 * only, on a port chosen once and kept, and is tuned for speed rather than durability.
 * Tests connect as {@code dbchaos}/{@code dbchaos} to the database {@code dbchaos}, with
 * password authentication; the fixture itself uses the trusted superuser
 * {@code postgres}.
 * <p>
 * As root, PostgreSQL runs as the {@code postgres} OS user, which then owns the
 * directory. No server outlives the JVM: a shutdown hook stops it, and a watchdog process
 * kills it should the JVM die without running its hooks. {@link #close()} stops the
 * server, or kills it if it does not stop, and deletes its data and socket directories;
 * the log is kept for post-mortems.
 */
public final class LocalManagedPostgres extends AbstractManagedPostgres {

	static final String DATA_DIRECTORY = "data";

	static final String PID_FILE = "postmaster.pid";

	private static final Logger logger = LoggerFactory.getLogger(LocalManagedPostgres.class);

	private static final String SUPERUSER = "postgres";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

	private static final Path DEFAULT_ROOT = Path.of("target", "managed-postgres");

	// A Unix socket path must fit in sun_path (108 bytes with its terminator).
	private static final int MAX_SOCKET_PATH = 107;

	private static final AtomicInteger sequence = new AtomicInteger();

	private final PostgresBinaries binaries;

	private final Path directory;

	private final Path dataDirectory;

	private final Path socketDirectory;

	private final Path logFile;

	private final boolean sweepAbandoned;

	private final OsCommands os;

	private final LocalServerProcess process;

	private OrphanWatchdog watchdog;

	private boolean initialized;

	private boolean bootstrapped;

	/**
	 * Create a server in a new directory under {@code target/managed-postgres} (relative
	 * to the working directory, the module's directory under Maven). Directories there
	 * abandoned by JVMs that died are cleaned up on start.
	 * @throws IllegalStateException if there are no PostgreSQL binaries
	 */
	public LocalManagedPostgres() {
		this(DEFAULT_ROOT.toAbsolutePath()
			.resolve(
					AbandonedServers.POSTGRES.directoryName(ProcessHandle.current().pid(), sequence.incrementAndGet())),
				true);
	}

	/**
	 * Create a server in the given directory, which holds its data, log and socket. A
	 * server that a crashed earlier run left running there is killed on start, and its
	 * data replaced by a fresh cluster.
	 * @param directory the directory, created if needed
	 * @throws IllegalStateException if there are no PostgreSQL binaries
	 */
	public LocalManagedPostgres(Path directory) {
		this(directory, false);
	}

	private LocalManagedPostgres(Path directory, boolean sweepAbandoned) {
		this(PostgresBinaries.find()
			.orElseThrow(() -> new IllegalStateException("No PostgreSQL binaries: " + PostgresBinaries.INSTALL_HINT)),
				directory, sweepAbandoned, TcpPorts.findFree());
	}

	private LocalManagedPostgres(PostgresBinaries binaries, Path directory, boolean sweepAbandoned, int port) {
		super(port, new PostgresAdmin(TcpPorts.LOOPBACK, port, SUPERUSER, null));
		this.binaries = binaries;
		this.directory = directory.toAbsolutePath().normalize();
		this.dataDirectory = this.directory.resolve(DATA_DIRECTORY);
		this.socketDirectory = this.directory.resolve("run");
		this.logFile = this.directory.resolve("postgres.log");
		this.sweepAbandoned = sweepAbandoned;
		this.os = OsCommands.detect();
		this.process = new LocalServerProcess("PostgreSQL", this.dataDirectory.resolve(PID_FILE), port);
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
		OsCommands.Result result = this.os.runPostgresBinary(
				List.of(this.binaries.pgCtl(), "start", "-D", this.dataDirectory.toString(), "-l",
						this.logFile.toString(), "-w", "-t", Long.toString(STARTUP_TIMEOUT.toSeconds()), "-s"),
				this.directory, COMMAND_TIMEOUT);
		if (!result.isSuccess()) {
			throw LogTail.failure(this.logFile, "pg_ctl start failed: " + result.output().trim(), null);
		}
		try {
			admin().awaitAcceptingConnections(STARTUP_TIMEOUT);
		}
		catch (IllegalStateException ex) {
			throw LogTail.failure(this.logFile, "PostgreSQL started but does not answer", ex);
		}
		if (!this.bootstrapped) {
			admin().ensureLoginRole(USERNAME, PASSWORD);
			admin().ensureDatabase(DATABASE, USERNAME);
			this.bootstrapped = true;
		}
	}

	private void initialize() {
		logger.info("Creating PostgreSQL cluster with {} in {}, port {}", this.binaries, this.directory, port());
		if (this.sweepAbandoned) {
			AbandonedServers.POSTGRES.sweep(this.directory.getParent());
		}
		this.process.killLeftover();
		Directories.deleteRecursively(this.dataDirectory);
		Directories.deleteRecursively(this.socketDirectory);
		Directories.deleteIfExists(this.logFile);
		createDirectoryForPostgres(this.directory);
		createDirectoryForPostgres(this.socketDirectory);
		this.os
			.runPostgresBinary(List.of(this.binaries.initdb(), "-D", this.dataDirectory.toString(), "-U", SUPERUSER,
					"-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"), this.directory, COMMAND_TIMEOUT)
			.requireSuccess();
		configure();
		registerShutdownHook();
		this.watchdog = OrphanWatchdog.start(this.process.pidFile());
		this.initialized = true;
	}

	private void createDirectoryForPostgres(Path path) {
		try {
			Files.createDirectories(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create " + path, ex);
		}
		this.os.giveToPostgres(path);
	}

	private void configure() {
		String settings = """

				# Added by dbchaos test-databases: a disposable server, tuned for speed rather
				# than durability, and reachable from this machine only.
				listen_addresses = '127.0.0.1'
				port = %d
				unix_socket_directories = '%s'
				max_connections = 200
				shared_buffers = 16MB
				fsync = off
				synchronous_commit = off
				full_page_writes = off
				password_encryption = 'scram-sha-256'
				""".formatted(port(), socketDirectories().replace("'", "''"));
		// The fixture's superuser is trusted; everyone else, the tests' user included,
		// gives a password, as against a real server.
		String hba = """
				# Written by dbchaos test-databases.
				local all %1$s trust
				host all %1$s 127.0.0.1/32 trust
				local all all scram-sha-256
				host all all 127.0.0.1/32 scram-sha-256
				""".formatted(SUPERUSER);
		try {
			Files.writeString(this.dataDirectory.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8,
					StandardOpenOption.APPEND);
			Files.writeString(this.dataDirectory.resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8,
					StandardOpenOption.TRUNCATE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not configure " + this.dataDirectory, ex);
		}
	}

	private String socketDirectories() {
		String socket = this.socketDirectory.resolve(".s.PGSQL." + port()).toString();
		if (socket.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
			// Nothing here needs the socket (everything connects over TCP), so rather
			// than fail on a deep working directory, do without it.
			logger.info("No Unix socket for PostgreSQL: {} is too long a path", socket);
			return "";
		}
		return this.socketDirectory.toString();
	}

	@Override
	public synchronized void stop() {
		if (!isRunning()) {
			return;
		}
		// A stopped process cannot shut down.
		thaw();
		OsCommands.Result result = this.os
			.runPostgresBinary(List.of(this.binaries.pgCtl(), "stop", "-D", this.dataDirectory.toString(), "-m", "fast",
					"-w", "-t", Long.toString(SHUTDOWN_TIMEOUT.toSeconds()), "-s"), this.directory, COMMAND_TIMEOUT);
		if (!result.isSuccess()) {
			throw LogTail.failure(this.logFile, "pg_ctl stop failed: " + result.output().trim(), null);
		}
		Poll.until("port " + port() + " refuses connections", SHUTDOWN_TIMEOUT,
				() -> !TcpPorts.isAccepting(TcpPorts.LOOPBACK, port()));
	}

	@Override
	public synchronized void kill() {
		this.process.kill();
		clearStaleServerFiles();
	}

	// A dead postmaster leaves its pid file and socket lock file behind. PostgreSQL
	// refuses to start over them while their pid exists, as a zombie or recycled.
	private void clearStaleServerFiles() {
		if (!this.process.isRunning()) {
			Directories.deleteIfExists(this.process.pidFile());
			Directories.deleteIfExists(this.socketDirectory.resolve(".s.PGSQL." + port() + ".lock"));
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
	 * The directory holding the server's data ({@code data}), Unix socket ({@code run})
	 * and log ({@code postgres.log}).
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	OptionalLong postmasterPid() {
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
			Directories.deleteQuietly(this.socketDirectory);
		}
	}

	private void shutDown() {
		try {
			stop();
		}
		catch (RuntimeException ex) {
			logger.warn("PostgreSQL did not stop cleanly, killing it", ex);
			kill();
		}
	}

	@Override
	public String toString() {
		return "LocalManagedPostgres[" + jdbcUrl() + ", " + this.directory + "]";
	}

}
