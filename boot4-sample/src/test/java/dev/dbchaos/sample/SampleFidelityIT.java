package dev.dbchaos.sample;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.OwnPostgres;
import dev.dbchaos.testdatabases.SqlFailures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The fidelity core on Spring Boot 4 and HikariCP 7: each failure once for real, from a
 * really stopped, frozen or read-only PostgreSQL, and once injected through
 * {@code /actuator/dbchaos}'s registry into a healthy one, through the sample's own pool
 * as the starter set it up. What the application sees is compared field by field
 * ({@link SqlFailures#fields}), as the engine's {@code FidelityIT} does; the only
 * differences allowed are the ones named below.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
		properties = { "spring.datasource.hikari.connection-timeout=1000",
				"spring.datasource.hikari.validation-timeout=500", "spring.datasource.hikari.minimum-idle=0",
				"spring.datasource.hikari.maximum-pool-size=2",
				"spring.datasource.hikari.data-source-properties.socketTimeout=" + SampleFidelityIT.SOCKET_TIMEOUT })
@DirtiesContext
class SampleFidelityIT {

	/**
	 * PgJDBC's {@code socketTimeout}, in seconds: what ends a call to a frozen server.
	 */
	static final int SOCKET_TIMEOUT = 2;

	private static final String SELECT = "SELECT count(*) FROM note";

	private static final String INSERT = "INSERT INTO note (text) VALUES ('fidelity')";

	/** A server of its own: these scenarios stop and freeze it. */
	@RegisterExtension
	static final OwnPostgres postgres = new OwnPostgres();

	@Autowired
	private HikariDataSource pool;

	@Autowired
	private FaultRegistry registry;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, postgres.server());
	}

	@AfterEach
	void healthyAgain() {
		this.registry.clear();
		evictAll();
	}

	@Test
	void outageOnANewConnectionLooksLikeAStoppedServer() {
		evictAll();
		postgres.server().stop();
		Map<String, String> real = observe(() -> jdbc().queryForObject(SELECT, Long.class));
		postgres.server().start();
		evictAll();
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		Map<String, String> injected = observe(() -> jdbc().queryForObject(SELECT, Long.class));
		assertThat(withoutHikariWait(injected)).isEqualTo(withoutHikariWait(real));
	}

	@Test
	void outageOnAnOpenConnectionLooksLikeAStoppedServer() throws SQLException {
		Map<String, String> real;
		try (Connection held = this.pool.getConnection()) {
			onHeld(held).queryForObject(SELECT, Long.class);
			postgres.server().stop();
			real = observe(() -> onHeld(held).queryForObject(SELECT, Long.class));
			real.put("later use, through Hikari", SqlFailures.describe(laterUse(held)));
		}
		postgres.server().start();
		Map<String, String> injected;
		try (Connection held = this.pool.getConnection()) {
			onHeld(held).queryForObject(SELECT, Long.class);
			this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
			injected = observe(() -> onHeld(held).queryForObject(SELECT, Long.class));
			injected.put("later use, through Hikari", SqlFailures.describe(laterUse(held)));
		}
		assertThat(injected).isEqualTo(real);
	}

	@Test
	void hangEndsAtTheSocketTimeoutAsAFrozenServerDoes() throws SQLException {
		Map<String, String> real;
		long realNanos;
		try (Connection held = this.pool.getConnection()) {
			onHeld(held).queryForObject(SELECT, Long.class);
			postgres.server().freeze();
			long start = System.nanoTime();
			real = observe(() -> onHeld(held).queryForObject(SELECT, Long.class));
			realNanos = System.nanoTime() - start;
			postgres.server().thaw();
		}
		Map<String, String> injected;
		long injectedNanos;
		try (Connection held = this.pool.getConnection()) {
			onHeld(held).queryForObject(SELECT, Long.class);
			this.registry.add(FaultSpec.builder(FaultType.HANG).build());
			long start = System.nanoTime();
			injected = observe(() -> onHeld(held).queryForObject(SELECT, Long.class));
			injectedNanos = System.nanoTime() - start;
		}
		assertThat(injected).isEqualTo(real);
		// Neither gives up before the socket timeout the application configured.
		Duration socketTimeout = Duration.ofSeconds(SOCKET_TIMEOUT).minusMillis(100);
		assertThat(Duration.ofNanos(realNanos)).as("real").isGreaterThanOrEqualTo(socketTimeout);
		assertThat(Duration.ofNanos(injectedNanos)).as("injected").isGreaterThanOrEqualTo(socketTimeout);
	}

	@Test
	void readOnlyRefusesWritesAsAReadOnlyDatabaseDoes() throws SQLException {
		jdbc().execute("ALTER DATABASE " + postgres.server().database() + " SET default_transaction_read_only = on");
		Map<String, String> real;
		try {
			evictAll();
			real = observe(() -> jdbc().update(INSERT));
			real.put("read", outcome(() -> jdbc().queryForObject(SELECT, Long.class)));
		}
		finally {
			writable();
		}
		this.registry.add(FaultSpec.builder(FaultType.READ_ONLY).build());
		Map<String, String> injected = observe(() -> jdbc().update(INSERT));
		injected.put("read", outcome(() -> jdbc().queryForObject(SELECT, Long.class)));
		assertThat(injected).isEqualTo(real);
	}

	/**
	 * The session's own default first, in a transaction of its own: the database's is
	 * read-only.
	 */
	private void writable() throws SQLException {
		try (Connection connection = this.pool.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("SET default_transaction_read_only = off");
			statement
				.execute("ALTER DATABASE " + postgres.server().database() + " SET default_transaction_read_only = off");
		}
		evictAll();
	}

	private JdbcTemplate jdbc() {
		return new JdbcTemplate(this.pool);
	}

	private static JdbcTemplate onHeld(Connection held) {
		return new JdbcTemplate(new SingleConnectionDataSource(held, true));
	}

	private static SQLException laterUse(Connection held) {
		return catchThrowableOfType(SQLException.class, () -> held.createStatement().executeQuery(SELECT));
	}

	private static Map<String, String> observe(Runnable call) {
		DataAccessException failure = catchThrowableOfType(DataAccessException.class, call::run);
		assertThat(failure).as("a DataAccessException").isNotNull();
		Map<String, String> observation = new LinkedHashMap<>();
		observation.put("Spring exception", failure.getClass().getSimpleName());
		observation.putAll(SqlFailures.fields((SQLException) failure.getCause()));
		// Where in its C source the server raised an error only the server knows: dbchaos
		// leaves it out rather than invent one (docs/fidelity-pgjdbc.md), so it is not
		// compared.
		observation.remove("server error source location");
		// A session the server ended reads as closed or as reset, from one run to the
		// next.
		observation.replaceAll((field, value) -> SqlFailures.withResetAsEndOfStream(value));
		return observation;
	}

	private static String outcome(Runnable call) {
		DataAccessException failure = catchThrowableOfType(DataAccessException.class, call::run);
		return (failure != null) ? SqlFailures.describe((SQLException) failure.getCause()) : "succeeds";
	}

	/**
	 * Hikari's timeout message names how long it waited, which is never the same twice.
	 */
	private static Map<String, String> withoutHikariWait(Map<String, String> observation) {
		Map<String, String> normalized = new LinkedHashMap<>(observation);
		normalized.replaceAll((field, value) -> value.replaceAll("\\d+ms", "Nms"));
		return normalized;
	}

	private void evictAll() {
		this.pool.getHikariPoolMXBean().softEvictConnections();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.pool.getHikariPoolMXBean().getTotalConnections()).isZero());
	}

}
