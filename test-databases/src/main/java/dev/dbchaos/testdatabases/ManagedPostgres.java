package dev.dbchaos.testdatabases;

/**
 * A real PostgreSQL server under a test's control, for simulating genuine outages:
 * refused connections ({@link #stop()}), a crash ({@link #kill()}), a hung server
 * ({@link #freeze()}) and dropped connections ({@link #terminateConnections()}).
 * <p>
 * The JDBC URL, user and password stay the same for the life of the instance, across any
 * number of stops, kills and restarts, so that a service under test can be configured
 * once and simply watched as it loses and regains its database.
 * <p>
 * Typical use: <pre class="code">
 * try (ManagedPostgres postgres = ManagedPostgres.create()) {
 *     postgres.start();
 *     // configure the service with postgres.jdbcUrl(), username(), password()
 *     postgres.kill();
 *     // assert that the service degrades gracefully
 *     postgres.start();
 *     // assert that it recovers
 * }
 * </pre> Implementations are thread-safe. No server process outlives the JVM.
 *
 * @see LocalManagedPostgres
 * @see ContainerManagedPostgres
 */
public interface ManagedPostgres extends AutoCloseable {

	/**
	 * System property choosing the implementation: {@code auto} (the default),
	 * {@code local} or {@code container}.
	 */
	String MODE_PROPERTY = "dbchaos.it.postgres";

	/**
	 * Create a new, not yet started, server of the kind chosen by the
	 * {@value #MODE_PROPERTY} system property:
	 * <ul>
	 * <li>{@code container}: a {@link ContainerManagedPostgres}, which needs
	 * Testcontainers on the classpath and a Docker engine;</li>
	 * <li>{@code local}: a {@link LocalManagedPostgres}, which needs the PostgreSQL
	 * server binaries on this machine: in the directory named by the {@code PG_BIN}
	 * environment variable, else on the {@code PATH}, else in
	 * {@code /usr/lib/postgresql/<version>/bin};</li>
	 * <li>{@code auto}: a container where Docker is available, else local.</li>
	 * </ul>
	 * @return a new server; the caller must {@link #close()} it
	 * @throws IllegalStateException if the chosen kind cannot run here, saying what to
	 * install
	 */
	static ManagedPostgres create() {
		return ManagedPostgresFactory.create();
	}

	/**
	 * Return the server shared by everything in this JVM, creating it on first use as
	 * {@link #create()} does. It is started if it is not running, so a test that stopped,
	 * killed or froze it leaves no trouble for the next. Its {@link #close()} does
	 * nothing: it is closed when the JVM shuts down.
	 * @return the running shared server
	 */
	static ManagedPostgres shared() {
		return SharedManagedPostgres.get();
	}

	/**
	 * Start the server, or restart it after {@link #stop()} or {@link #kill()} (crash
	 * recovery included), or {@link #thaw()} it if frozen. Does nothing when it is
	 * already running. Blocks until the server answers queries.
	 * @throws IllegalStateException if it does not answer within 30 seconds
	 */
	void start();

	/**
	 * Shut the server down cleanly (fast mode: open transactions are rolled back and
	 * clients disconnected). Blocks until the port refuses connections. Does nothing when
	 * it is not running.
	 */
	void stop();

	/**
	 * Crash the server: SIGKILL the postmaster and all its children, with no shutdown and
	 * no checkpoint. Blocks until the port refuses connections. The next {@link #start()}
	 * performs crash recovery.
	 * <p>
	 * Like a real crash of a server with {@code synchronous_commit=off} (as the local
	 * server runs, for speed), transactions committed in the last few hundred
	 * milliseconds may be lost.
	 */
	void kill();

	/**
	 * Freeze the server: SIGSTOP the postmaster and all its children. The kernel still
	 * accepts TCP connections on its behalf but nothing ever answers, which is how a hung
	 * database or a network black hole looks to a client: only timeouts help.
	 * @throws IllegalStateException if the server is not running
	 */
	void freeze();

	/**
	 * Undo {@link #freeze()}: SIGCONT the server's processes. Harmless when not frozen.
	 */
	void thaw();

	/**
	 * Terminate every client connection except the one used to do so
	 * ({@code pg_terminate_backend}), as a database restart or failover would. Returns
	 * once the backends have exited, so the next statement on any of those connections
	 * fails with SQLState {@code 57P01}.
	 * @return how many connections were terminated
	 */
	int terminateConnections();

	/**
	 * Create a database owned by {@link #username()} unless it exists.
	 * @param name letters, digits and underscores, not starting with a digit
	 * @return its JDBC URL, on the same server as {@link #jdbcUrl()}
	 */
	String createDatabase(String name);

	/**
	 * The JDBC URL of {@link #database()}, of the form
	 * {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. Available before
	 * {@link #start()} and unchanged by restarts.
	 * @return the JDBC URL
	 */
	String jdbcUrl();

	/**
	 * The user that tests should connect as; it owns {@link #database()}.
	 * @return the user name
	 */
	String username();

	/**
	 * The password of {@link #username()}.
	 * @return the password
	 */
	String password();

	/**
	 * The database that {@link #jdbcUrl()} points at.
	 * @return the database name
	 */
	String database();

	/**
	 * The TCP port, fixed for the life of this instance.
	 * @return the port
	 */
	int port();

	/**
	 * Whether the server's processes are up. A frozen server is running.
	 * @return {@code true} if running
	 */
	boolean isRunning();

	/**
	 * The end of the server's log, for the diagnostics of a failing test.
	 * @param lines how many lines at most
	 * @return the last lines, or an empty string when there is no log yet
	 */
	String logTail(int lines);

	/**
	 * Stop the server (killing it if it does not stop) and delete its data. Leaves no
	 * process behind. Idempotent.
	 */
	@Override
	void close();

}
