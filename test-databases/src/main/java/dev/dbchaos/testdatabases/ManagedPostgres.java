package dev.dbchaos.testdatabases;

/**
 * A real PostgreSQL server under a test's control, for simulating genuine outages:
 * refused connections ({@link #stop()}), a crash ({@link #kill()}), a hung server
 * ({@link #freeze()}) and dropped connections ({@link #terminateConnections()}).
 * <p>
 * The JDBC URL, of the form {@code jdbc:postgresql://127.0.0.1:<port>/<database>}, user
 * and password stay the same for the life of the instance, across any number of stops,
 * kills and restarts, so that a service under test can be configured once and simply
 * watched as it loses and regains its database. The user owns {@link #database()} and the
 * databases {@link #createDatabase(String)} creates.
 * <p>
 * PostgreSQL specifics: {@link #stop()} is a fast shutdown; {@link #kill()} SIGKILLs the
 * postmaster and all its children, and as the local server runs with
 * {@code synchronous_commit=off}, transactions committed in the last few hundred
 * milliseconds may be lost; {@link #freeze()} SIGSTOPs the postmaster and all its
 * children; {@link #terminateConnections()} uses {@code pg_terminate_backend}, so the
 * next statement on a terminated connection fails with SQLState {@code 57P01}.
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
public interface ManagedPostgres extends ManagedDatabase {

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
		return ManagedServerFactory.POSTGRES.create();
	}

	/**
	 * Return the server shared by everything in this JVM, creating it on first use as
	 * {@link #create()} does. It is started if it is not running, so a test that stopped,
	 * killed or froze it leaves no trouble for the next. Its {@link #close()} does
	 * nothing: it is closed when the JVM shuts down.
	 * @return the running shared server
	 */
	static ManagedPostgres shared() {
		return ManagedServerFactory.POSTGRES.shared();
	}

}
