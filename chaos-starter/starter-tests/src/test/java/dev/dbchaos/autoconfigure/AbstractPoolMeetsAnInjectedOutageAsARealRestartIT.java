package dev.dbchaos.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.testdatabases.ManagedDatabase;
import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.ManagedPostgres;
import dev.dbchaos.testdatabases.SqlFailures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001's {@code ITDatabaseFailureAndRecovery}, automated for one pool as Spring Boot
 * auto-configures it, with dbchaos beneath it: a connection the pool holds while the
 * database goes away and comes back is borrowed again, once after a real restart of the
 * server and once after an injected full outage, each in a pool of its own. Without
 * validation that borrow fails, with the same exception class, SQLState and message
 * either way; with {@code testOnBorrow} and a validation query the pool replaces the
 * stale connection, either way. An injected outage above the pool could not tell the two
 * apart: nothing would fail after it.
 * <p>
 * Each subclass names its pool's properties and owns the server it restarts.
 */
abstract class AbstractPoolMeetsAnInjectedOutageAsARealRestartIT {

	/** What a borrow after the outage did when the pool replaced its connection. */
	static final String RECOVERED = "recovered on a new physical connection";

	/**
	 * What a borrow after the outage did when the connection held during it went on
	 * working: an outage that never reached the pool's connections.
	 */
	static final String STALE_CONNECTION_WORKED = "the connection held during the outage went on working";

	/** The validation query of both pools, which every database answers. */
	private static final String VALIDATION_QUERY = "SELECT 1";

	/**
	 * Return the server the test restarts: the subclass's own.
	 * @return the server
	 */
	abstract Server server();

	/**
	 * Return the pool's properties: one connection, opened at start-up.
	 * @param validated whether the pool validates a connection before it lends it
	 * @return the properties
	 */
	abstract List<String> poolProperties(boolean validated);

	@Test
	void withoutValidationTheNextBorrowAfterTheOutageFailsAsAfterARealRestart() {
		String real = borrowAfter(false, this::restartTheServer);
		String injected = borrowAfter(false, this::injectAFullOutage);

		assertThat(real).isNotIn(RECOVERED, STALE_CONNECTION_WORKED);
		assertThat(injected).isEqualTo(real);
	}

	@Test
	void withTestOnBorrowAndAValidationQueryTheNextBorrowAfterTheOutageRecoversAsAfterARealRestart() {
		String real = borrowAfter(true, this::restartTheServer);
		String injected = borrowAfter(true, this::injectAFullOutage);

		assertThat(real).isEqualTo(RECOVERED);
		assertThat(injected).isEqualTo(real);
	}

	/**
	 * In a new application with one pooled connection: use the connection and give it
	 * back, let the database go away and come back, then borrow again and query.
	 * @param validated whether the pool validates on borrow
	 * @param outage takes the database away and brings it back
	 * @return {@link #RECOVERED}, or the failure of the query after the outage (class,
	 * SQLState, message, and the exceptions chained to it)
	 */
	private String borrowAfter(boolean validated, Consumer<AssertableApplicationContext> outage) {
		AtomicReference<String> outcome = new AtomicReference<>();
		List<String> properties = new ArrayList<>(server().properties());
		properties.add("dbchaos.enabled=true");
		properties.addAll(poolProperties(validated));
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class))
			.withPropertyValues(properties.toArray(String[]::new))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DataSource dataSource = context.getBean(DataSource.class);
				String before = server().sessionOf(dataSource);
				outage.accept(context);
				try {
					String after = server().sessionOf(dataSource);
					outcome.set(after.equals(before) ? STALE_CONNECTION_WORKED : RECOVERED);
				}
				catch (SQLException ex) {
					outcome
						.set(withoutThreadIds(SqlFailures.describe(ex) + "; next: " + SqlFailures.nextExceptions(ex)));
				}
			});
		return outcome.get();
	}

	/**
	 * MariaDB Connector/J names the server's thread id of the connection in its messages
	 * ({@code (conn=7)}), which is another for every connection the two applications
	 * open, so it is left out of the comparison (as in docs/fidelity-mariadb.md).
	 * @param failure the failure as described
	 * @return the description with every thread id as {@code conn=N}
	 */
	private static String withoutThreadIds(String failure) {
		return failure.replaceAll("\\(conn=\\d+\\)", "(conn=N)");
	}

	private void restartTheServer(AssertableApplicationContext context) {
		server().restart();
	}

	private void injectAFullOutage(AssertableApplicationContext context) {
		FaultRegistry faults = context.getBean(FaultRegistry.class);
		FaultRule outage = faults.add(FaultSpec.builder(FaultType.OUTAGE).build());
		faults.remove(outage.getId());
	}

	/**
	 * Tomcat JDBC, as {@code spring.datasource.type} picks it, with one connection.
	 * @param validated with {@code testOnBorrow}, a validation query and no validation
	 * interval (the pool would skip validating a connection validated in the last
	 * {@code validationInterval}, 3 seconds by default, as seed 001 found); without, with
	 * {@code testOnBorrow} off (Spring Boot turns it on, with the driver's validation
	 * query, when it knows one)
	 * @return the properties
	 */
	static List<String> tomcatJdbcPool(boolean validated) {
		List<String> properties = new ArrayList<>(
				List.of("spring.datasource.type=org.apache.tomcat.jdbc.pool.DataSource",
						"spring.datasource.tomcat.initial-size=1", "spring.datasource.tomcat.min-idle=1",
						"spring.datasource.tomcat.max-idle=1", "spring.datasource.tomcat.max-active=1",
						"spring.datasource.tomcat.test-on-borrow=" + validated));
		if (validated) {
			properties.addAll(List.of("spring.datasource.tomcat.validation-query=" + VALIDATION_QUERY,
					"spring.datasource.tomcat.validation-interval=0"));
		}
		return properties;
	}

	/**
	 * Commons DBCP2, as {@code spring.datasource.type} picks it, with one connection.
	 * @param validated with {@code testOnBorrow} and a validation query; without, with
	 * {@code testOnBorrow} off (DBCP2 has it on by default, validating with
	 * {@code Connection.isValid})
	 * @return the properties
	 */
	static List<String> dbcp2Pool(boolean validated) {
		List<String> properties = new ArrayList<>(
				List.of("spring.datasource.type=org.apache.commons.dbcp2.BasicDataSource",
						"spring.datasource.dbcp2.initial-size=1", "spring.datasource.dbcp2.max-idle=1",
						"spring.datasource.dbcp2.max-total=1", "spring.datasource.dbcp2.test-on-borrow=" + validated));
		if (validated) {
			properties.add("spring.datasource.dbcp2.validation-query=" + VALIDATION_QUERY);
		}
		return properties;
	}

	/**
	 * A PostgreSQL server the test class owns.
	 * @param postgres the server
	 * @return it, as the test sees it
	 */
	static Server ownedPostgres(ManagedPostgres postgres) {
		return owned(postgres, "SELECT pg_backend_pid()");
	}

	/**
	 * A MariaDB server the test class owns, reached with MariaDB Connector/J.
	 * @param mariaDb the server
	 * @return it, as the test sees it
	 */
	static Server ownedMariaDb(ManagedMariaDb mariaDb) {
		return owned(mariaDb, "SELECT CONNECTION_ID()");
	}

	private static Server owned(ManagedDatabase database, String sessionQuery) {
		return new Server() {

			@Override
			public List<String> properties() {
				return List.of("spring.datasource.url=" + database.jdbcUrl(),
						"spring.datasource.username=" + database.username(),
						"spring.datasource.password=" + database.password());
			}

			@Override
			public void restart() {
				database.stop();
				database.start();
			}

			@Override
			public String sessionOf(DataSource dataSource) throws SQLException {
				return Server.queryOne(dataSource, sessionQuery);
			}

		};
	}

	/**
	 * The database under test, as a test of a pool sees it.
	 */
	interface Server {

		/**
		 * Return the {@code spring.datasource.*} properties that reach the server.
		 * @return the properties
		 */
		List<String> properties();

		/**
		 * Stop the server cleanly and start it again, as a maintenance window does.
		 */
		void restart();

		/**
		 * Borrow a connection, ask the server which session it is, and give it back.
		 * @param dataSource the pool
		 * @return the server's id of the session
		 * @throws SQLException if borrowing or the query fails
		 */
		String sessionOf(DataSource dataSource) throws SQLException;

		/**
		 * Run a query that answers one value on a borrowed connection.
		 * @param dataSource the pool
		 * @param sql the query
		 * @return the value, as text
		 * @throws SQLException if borrowing or the query fails
		 */
		static String queryOne(DataSource dataSource, String sql) throws SQLException {
			try (Connection connection = dataSource.getConnection();
					Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery(sql)) {
				assertThat(result.next()).isTrue();
				return result.getString(1);
			}
		}

	}

}
