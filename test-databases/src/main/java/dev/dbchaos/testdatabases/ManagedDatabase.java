package dev.dbchaos.testdatabases;

/**
 * A real database server under a test's control, for simulating genuine outages: refused
 * connections ({@link #stop()}), a crash ({@link #kill()}), a hung server
 * ({@link #freeze()}) and dropped connections ({@link #terminateConnections()}). What
 * {@link ManagedPostgres} and {@link ManagedMariaDb} have in common.
 * <p>
 * The JDBC URL, user and password stay the same for the life of the instance, across any
 * number of stops, kills and restarts, so that a service under test can be configured
 * once and simply watched as it loses and regains its database. Implementations are
 * thread-safe. No server process outlives the JVM.
 */
public interface ManagedDatabase extends AutoCloseable {

	/**
	 * Start the server, or restart it after {@link #stop()} or {@link #kill()} (crash
	 * recovery included) on the same port and data, or {@link #thaw()} it if frozen. Does
	 * nothing when it is already running. Blocks until the server answers queries.
	 * @throws IllegalStateException if it does not answer within 30 seconds
	 */
	void start();

	/**
	 * Shut the server down cleanly: open transactions are rolled back and clients
	 * disconnected. Blocks until the port refuses connections. Does nothing when it is
	 * not running.
	 */
	void stop();

	/**
	 * Crash the server: SIGKILL its processes, with no shutdown and no checkpoint. Blocks
	 * until the port refuses connections. The next {@link #start()} performs crash
	 * recovery.
	 * <p>
	 * Like a real crash of a server tuned for speed rather than durability (as the local
	 * servers are), transactions committed in the last second or so may be lost.
	 */
	void kill();

	/**
	 * Freeze the server: SIGSTOP its processes. The kernel still accepts TCP connections
	 * on its behalf but nothing ever answers, which is how a hung database or a network
	 * black hole looks to a client: only timeouts help.
	 * @throws IllegalStateException if the server is not running
	 */
	void freeze();

	/**
	 * Undo {@link #freeze()}: SIGCONT the server's processes. Harmless when not frozen.
	 */
	void thaw();

	/**
	 * Terminate every client connection except the one used to do so, as a database
	 * restart or failover would. Returns once the server has ended those sessions, so the
	 * next statement on any of those connections fails.
	 * @return how many connections were terminated
	 */
	int terminateConnections();

	/**
	 * Create a database that {@link #username()} may use fully, unless it exists.
	 * @param name letters, digits and underscores, not starting with a digit
	 * @return its JDBC URL, on the same server as {@link #jdbcUrl()}
	 */
	String createDatabase(String name);

	/**
	 * The JDBC URL of {@link #database()} on {@code 127.0.0.1} (or the Docker host).
	 * Available before {@link #start()} and unchanged by restarts.
	 * @return the JDBC URL
	 */
	String jdbcUrl();

	/**
	 * The user that tests should connect as, with a password, and not the server's
	 * superuser.
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
	 * process behind. Idempotent. The {@code shared()} servers ignore it: they live until
	 * the JVM exits.
	 */
	@Override
	void close();

}
