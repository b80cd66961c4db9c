package dev.dbchaos.testdatabases;

/**
 * A real MariaDB server under a test's control, for simulating genuine outages: refused
 * connections ({@link #stop()}), a crash ({@link #kill()}), a hung server
 * ({@link #freeze()}), dropped connections ({@link #terminateConnections()}) and a
 * read-only server ({@link #setReadOnly(boolean)}).
 * <p>
 * Two URLs lead to the same database, one per MySQL-protocol driver: {@link #jdbcUrl()},
 * {@code jdbc:mariadb://127.0.0.1:<port>/<database>}, for MariaDB Connector/J, and
 * {@link #mysqlJdbcUrl()}, {@code jdbc:mysql://...}, for MySQL Connector/J. Both, the
 * user and the password stay the same for the life of the instance, across any number of
 * stops, kills and restarts.
 * <p>
 * The tests' user has every privilege but {@code READ_ONLY ADMIN}, so that
 * {@code read_only} binds it as it binds an application's user; the fixture does its own
 * work ({@link #terminateConnections()}, {@link #setReadOnly(boolean)},
 * {@link #createDatabase(String)}) over short-lived connections as the server's
 * superuser.
 * <p>
 * MariaDB specifics: {@link #stop()} is the shutdown a service manager asks for (SIGTERM:
 * sessions are killed, their transactions rolled back); {@link #kill()} SIGKILLs the
 * server, and as the local server runs with {@code innodb_flush_log_at_trx_commit=2},
 * transactions committed in the last second may be lost; {@link #freeze()} SIGSTOPs it
 * (its sessions are threads of one process); {@link #terminateConnections()} is
 * {@code KILL CONNECTION} of every other session.
 * <p>
 * Typical use: <pre class="code">
 * try (ManagedMariaDb mariadb = ManagedMariaDb.create()) {
 *     mariadb.start();
 *     // configure the service with mariadb.jdbcUrl(), username(), password()
 *     mariadb.kill();
 *     // assert that the service degrades gracefully
 *     mariadb.start();
 *     // assert that it recovers
 * }
 * </pre>
 *
 * @see LocalManagedMariaDb
 * @see ContainerManagedMariaDb
 */
public interface ManagedMariaDb extends ManagedDatabase {

	/**
	 * System property choosing the implementation: {@code auto} (the default),
	 * {@code local} or {@code container}.
	 */
	String MODE_PROPERTY = "dbchaos.it.mariadb";

	/**
	 * Create a new, not yet started, server of the kind chosen by the
	 * {@value #MODE_PROPERTY} system property:
	 * <ul>
	 * <li>{@code container}: a {@link ContainerManagedMariaDb}, which needs
	 * Testcontainers' MariaDB module on the classpath and a Docker engine;</li>
	 * <li>{@code local}: a {@link LocalManagedMariaDb}, which needs the MariaDB server on
	 * this machine ({@code mariadbd} and {@code mariadb-install-db}): in the directory
	 * named by the {@code MARIADB_BIN} environment variable, else on the {@code PATH},
	 * else in {@code /usr/sbin}, {@code /usr/bin} or {@code /usr/libexec};</li>
	 * <li>{@code auto}: a container where Docker is available, else local.</li>
	 * </ul>
	 * @return a new server; the caller must {@link #close()} it
	 * @throws IllegalStateException if the chosen kind cannot run here, saying what to
	 * install
	 */
	static ManagedMariaDb create() {
		return ManagedServerFactory.MARIADB.create();
	}

	/**
	 * Return the server shared by everything in this JVM, creating it on first use as
	 * {@link #create()} does. It is started if it is not running, and made writable, so a
	 * test that stopped, killed, froze it or made it read-only leaves no trouble for the
	 * next. Its {@link #close()} does nothing: it is closed when the JVM shuts down.
	 * @return the running shared server
	 */
	static ManagedMariaDb shared() {
		return ManagedServerFactory.MARIADB.shared();
	}

	/**
	 * The JDBC URL of {@link #database()} for MySQL Connector/J, of the form
	 * {@code jdbc:mysql://127.0.0.1:<port>/<database>}. Available before {@link #start()}
	 * and unchanged by restarts.
	 * @return the JDBC URL
	 */
	String mysqlJdbcUrl();

	/**
	 * Set the server's global {@code read_only}, as a failover to a replica or an
	 * operator would: while it is on, writes of {@link #username()} fail with vendor code
	 * 1290 and reads work. {@link #start()} after {@link #stop()} or {@link #kill()}
	 * brings the server back writable, as a restarted server comes back.
	 * @param readOnly whether the server refuses writes
	 */
	void setReadOnly(boolean readOnly);

	/**
	 * Whether the server's global {@code read_only} is on.
	 * @return {@code true} if it refuses writes
	 */
	boolean isReadOnly();

}
