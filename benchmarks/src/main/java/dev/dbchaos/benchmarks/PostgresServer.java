package dev.dbchaos.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * Where the PostgreSQL benchmarks connect: the server named by the
 * {@code dbchaos.bench.pg.*} system properties, which {@link BenchmarkMain} sets for
 * every JMH fork so that all variants share one warm server, or else a local server
 * started for this JVM.
 */
public final class PostgresServer {

	/**
	 * System property with the JDBC URL of the server to use.
	 */
	public static final String URL_PROPERTY = "dbchaos.bench.pg.url";

	/**
	 * System property with the user name.
	 */
	public static final String USER_PROPERTY = "dbchaos.bench.pg.user";

	/**
	 * System property with the password.
	 */
	public static final String PASSWORD_PROPERTY = "dbchaos.bench.pg.password";

	/**
	 * Rows of the lookup table; enough that lookups are index scans, few enough to stay
	 * cached.
	 */
	public static final int ROWS = 10_000;

	private static ManagedPostgres started;

	private PostgresServer() {
	}

	/**
	 * Start a local server for this JVM unless the system properties name one, and
	 * publish its coordinates in those properties.
	 * @return the server started here, to close when done, or {@code null} if one was
	 * named
	 */
	public static synchronized ManagedPostgres startUnlessConfigured() {
		if (System.getProperty(URL_PROPERTY) != null) {
			return null;
		}
		ManagedPostgres postgres = ManagedPostgres.create();
		postgres.start();
		System.setProperty(URL_PROPERTY, postgres.jdbcUrl());
		System.setProperty(USER_PROPERTY, postgres.username());
		System.setProperty(PASSWORD_PROPERTY, postgres.password());
		started = postgres;
		return postgres;
	}

	static String url() {
		ensureConfigured();
		return System.getProperty(URL_PROPERTY);
	}

	static String user() {
		return System.getProperty(USER_PROPERTY);
	}

	static String password() {
		return System.getProperty(PASSWORD_PROPERTY);
	}

	private static synchronized void ensureConfigured() {
		if (System.getProperty(URL_PROPERTY) == null) {
			ManagedPostgres postgres = startUnlessConfigured();
			// Started just for this JVM (a fork run without BenchmarkMain): stop it on
			// the way out.
			Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "bench-postgres-stop"));
		}
	}

	/**
	 * Create and fill the lookup table unless it is there, straight through the driver.
	 * @throws SQLException on failure
	 */
	static synchronized void createSchema() throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(), user(), password());
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS bench_account "
					+ "(id bigint PRIMARY KEY, balance bigint NOT NULL, owner text NOT NULL)");
			try (ResultSet count = statement.executeQuery("SELECT count(*) FROM bench_account")) {
				count.next();
				if (count.getInt(1) == ROWS) {
					return;
				}
			}
			statement.execute("TRUNCATE bench_account");
			try (PreparedStatement insert = connection
				.prepareStatement("INSERT INTO bench_account SELECT g, g * 100, 'owner-' || g "
						+ "FROM generate_series(1, ?) AS g")) {
				insert.setInt(1, ROWS);
				insert.executeUpdate();
			}
			statement.execute("ANALYZE bench_account");
		}
	}

}
