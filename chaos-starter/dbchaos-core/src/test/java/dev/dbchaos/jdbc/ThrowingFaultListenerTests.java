package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.fault.RemovalReason;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link FaultListener} that throws from every callback leaves the application's JDBC
 * calls, and the changes to the rules, exactly as they would be without it, against a
 * real PostgreSQL.
 */
class ThrowingFaultListenerTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	static Stream<Arguments> faults() {
		return Stream.of(Arguments.of("an error", FaultSpec.builder(FaultType.ERROR).sqlState("40P01").build()),
				Arguments.of("an error used up after one call",
						FaultSpec.builder(FaultType.ERROR).sqlState("40001").count(1).build()),
				Arguments.of("read-only", FaultSpec.builder(FaultType.READ_ONLY).build()),
				Arguments.of("an outage", FaultSpec.builder(FaultType.OUTAGE).build()),
				Arguments.of("an outage of new connections",
						FaultSpec.builder(FaultType.OUTAGE).operation(Operation.CONNECT).build()),
				Arguments.of("latency", FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(20)).build()),
				Arguments.of("a hang that expires",
						FaultSpec.builder(FaultType.HANG).duration(Duration.ofMillis(300)).build()),
				Arguments.of("a fault that matches nothing",
						FaultSpec.builder(FaultType.ERROR).sqlState("40001").sql("(?i)from nowhere").build()));
	}

	// The failures are logged on purpose here; keep them off the console.
	private static final Logger logger = Logger.getLogger("dev.dbchaos");

	@BeforeEach
	void quietConsole() {
		logger.setUseParentHandlers(false);
	}

	@AfterEach
	void restoreConsole() {
		logger.setUseParentHandlers(true);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faults")
	void aThrowingListenerLeavesEveryJdbcCallAsItWouldBeWithoutIt(String description, FaultSpec fault) {
		List<String> without = run(fault, false);
		List<String> with = run(fault, true);
		assertThat(with).isEqualTo(without);
	}

	@Test
	void theListenersFailureIsLoggedOnTheDbChaosLogger() throws SQLException {
		List<LogRecord> records = new ArrayList<>();
		Handler handler = new Handler() {
			@Override
			public void publish(LogRecord record) {
				records.add(record);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}
		};
		logger.addHandler(handler);
		try (FaultRegistry registry = registry()) {
			registry.addListener(new ThrowingListener());
			registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).build());
			try (ChaosDataSource chaos = chaos(registry); Connection connection = chaos.getConnection()) {
				outcome(() -> queryOne(connection));
			}
		}
		finally {
			logger.removeHandler(handler);
		}
		assertThat(records).filteredOn((record) -> record.getThrown() instanceof ListenerFailure)
			.extracting(LogRecord::getLevel)
			.isNotEmpty()
			.containsOnly(Level.WARNING);
		assertThat(records).extracting(LogRecord::getThrown)
			.filteredOn(ListenerFailure.class::isInstance)
			.extracting(Throwable::getMessage)
			.contains("added", "injected", "removed");
		assertThat(records).extracting(LogRecord::getMessage).anyMatch((message) -> message.contains("injected"));
	}

	/**
	 * Runs a scenario against a fresh registry: the fault is added, two queries and an
	 * insert are made on one connection and a query on a new one, and the fault is
	 * removed. Returns what each step gave.
	 */
	private static List<String> run(FaultSpec fault, boolean throwingListener) {
		List<String> outcomes = new ArrayList<>();
		try (FaultRegistry registry = registry()) {
			if (throwingListener) {
				registry.addListener(new ThrowingListener());
			}
			try (ChaosDataSource chaos = chaos(registry)) {
				FaultRule[] rule = new FaultRule[1];
				outcomes.add(outcome(() -> {
					rule[0] = registry.add(fault);
					return "added";
				}));
				try (Connection connection = chaos.getConnection()) {
					outcomes.add(outcome(() -> queryOne(connection)));
					outcomes.add(outcome(() -> queryOne(connection)));
					outcomes.add(outcome(() -> insert(connection)));
				}
				catch (SQLException ex) {
					outcomes.add(describe(ex));
				}
				outcomes.add(outcome(() -> {
					try (Connection fresh = chaos.getConnection()) {
						return queryOne(fresh);
					}
				}));
				outcomes.add(outcome(() -> (rule[0] != null && registry.remove(rule[0].getId()).isPresent()) ? "removed"
						: "not active"));
				outcomes.add(outcome(() -> registry.isIdle() ? "idle" : "busy"));
			}
		}
		catch (RuntimeException ex) {
			outcomes.add("escaped: " + ex);
		}
		return outcomes;
	}

	private static String outcome(Step step) {
		try {
			return String.valueOf(step.run());
		}
		catch (SQLException ex) {
			return describe(ex);
		}
		catch (RuntimeException ex) {
			return "escaped: " + ex;
		}
	}

	private static String describe(SQLException ex) {
		return ex.getClass().getName() + " " + ex.getSQLState() + " " + ex.getMessage();
	}

	private static FaultRegistry registry() {
		return new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));
	}

	private static ChaosDataSource chaos(FaultRegistry registry) {
		SimpleDriverDataSource driver = new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(),
				postgres.username(), postgres.password());
		return new ChaosDataSource(driver, registry, "dataSource", postgres.jdbcUrl(), null).register();
	}

	private static int queryOne(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select 1")) {
			result.next();
			return result.getInt(1);
		}
	}

	private static int insert(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("create temporary table if not exists listener_items (name text)");
			return statement.executeUpdate("insert into listener_items (name) values ('x')");
		}
	}

	@FunctionalInterface
	private interface Step {

		Object run() throws SQLException;

	}

	private static final class ListenerFailure extends RuntimeException {

		ListenerFailure(String callback) {
			super(callback);
		}

	}

	/** Throws from every callback there is. */
	private static final class ThrowingListener implements FaultListener {

		@Override
		public void added(FaultRule rule) {
			throw new ListenerFailure("added");
		}

		@Override
		public void removed(FaultRule rule, RemovalReason reason) {
			throw new ListenerFailure("removed");
		}

		@Override
		public void injected(FaultRule rule, JdbcCall call) {
			throw new ListenerFailure("injected");
		}

		@Override
		public void delayed(FaultRule rule, JdbcCall call, Duration delay) {
			throw new ListenerFailure("delayed");
		}

	}

}
