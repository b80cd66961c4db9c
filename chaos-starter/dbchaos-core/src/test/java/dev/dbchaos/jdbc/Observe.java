package dev.dbchaos.jdbc;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dbchaos.jdbc.FidelityTable.Explanation;
import dev.dbchaos.testdatabases.SqlFailures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the fidelity tests observe of a failure, the same way for every database and
 * driver: the Spring exception and the JDBC exception beneath it, what later calls on the
 * connection meet, through the pool and beneath it, whether the pool evicts it, and what
 * the rest of a transaction meets. Each fidelity IT ({@link FidelityIT} for PgJDBC,
 * {@link MariaDbFidelityIT}) runs its own scenarios with these and compares the
 * observations in a {@link FidelityTable}.
 */
final class Observe {

	/** A row every scenario has: it reads a row the test database holds. */
	static final String SELECT = "select name from sneakers where id = 1";

	/** A write every scenario's database takes. */
	static final String INSERT = "insert into sneakers (name) values ('air')";

	/** A write of a row the scenario looks for afterwards, by its name. */
	static final String ROW_OF_NAME = "insert into sneakers (name) values (?)";

	/**
	 * Hikari's timeout message names the time it waited, which is never the same twice.
	 */
	static final Explanation HIKARI_WAIT = Explanation.normalized(
			"Hikari reports how long it waited, which varies by a few ms; compared with the numbers of ms removed",
			(message) -> message.replaceAll("\\d+ms", "Nms"));

	/**
	 * How a session the server ended reads after the server's last word: closed (end of
	 * stream) or reset, depending on whether the server's close reached the client before
	 * or after the client's next write. Real servers give either from one run to the
	 * next; dbchaos gives the end of stream.
	 */
	static final Explanation CLOSED_OR_RESET = Explanation.normalized(
			"after the server ends a session its socket reads as closed (EOFException) or, when the client wrote "
					+ "first, as reset (SocketException \"Connection reset\"), from one run to the next; dbchaos "
					+ "imitates the first",
			SqlFailures::withResetAsEndOfStream);

	static void newPhysicalConnection(Map<String, String> observation, String aspect, HikariDataSource pool) {
		long start = System.nanoTime();
		SQLException failure = catchThrowableOfType(SQLException.class, () -> pool.getDataSource().getConnection());
		double elapsed = (System.nanoTime() - start) / 1e9;
		observation.put(aspect + ": new connection",
				SqlFailures.describe(failure) + ((failure != null) ? "; cause: " + SqlFailures.causes(failure) : ""));
		observation.put(aspect + ": gives up after", String.format(Locale.ROOT, "%.1f s", elapsed));
	}

	/** Reads and the other kinds of write, one row each. */
	static void otherStatements(Map<String, String> observation, JdbcTemplate template) {
		observation.put("read", statement(() -> template.queryForObject(SELECT, String.class)));
		observation.put("UPDATE", statement(() -> template.update("update sneakers set name = 'max' where id = 0")));
		observation.put("DELETE", statement(() -> template.update("delete from sneakers where id = 0")));
		observation.put("CREATE TABLE", statement(() -> template.execute("create table shoes (id int)")));
		observation.put("SELECT FOR UPDATE",
				statement(() -> template.queryForList("select name from sneakers where id = 1 for update")));
		batch(observation, "Statement batch", () -> template.batchUpdate(INSERT, INSERT));
		batch(observation, "PreparedStatement batch",
				() -> template.batchUpdate("insert into sneakers (name) values (?)",
						List.of(new Object[] { "air" }, new Object[] { "max" })));
	}

	static void batch(Map<String, String> observation, String aspect, Runnable action) {
		observation.put(aspect, statement(action));
		DataAccessException failure = catchThrowableOfType(DataAccessException.class, action::run);
		observation.put(aspect + ": update counts",
				(failure != null && failure.getCause() instanceof BatchUpdateException batch)
						? Arrays.toString(batch.getLargeUpdateCounts()) : "none");
	}

	static String statement(Runnable action) {
		DataAccessException failure = catchThrowableOfType(DataAccessException.class, action::run);
		if (failure == null) {
			return "succeeds";
		}
		SQLException ex = (SQLException) failure.getCause();
		String next = SqlFailures.nextExceptions(ex);
		String cause = SqlFailures.causes(ex);
		return failure.getClass().getSimpleName() + " ← " + SqlFailures.describe(ex)
				+ (next.equals("none") ? "" : "; next: " + next) + (cause.equals("none") ? "" : "; cause: " + cause);
	}

	/**
	 * What an application that catches the error and carries on in the same transaction
	 * meets: after a server error the transaction is aborted, whoever raised it.
	 */
	static void transactionAfterError(Map<String, String> observation, DataSource pool, int isolation,
			Runnable conflict, String failing) throws SQLException {
		try (Connection connection = pool.getConnection()) {
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(isolation);
			try (Statement statement = connection.createStatement()) {
				statement.executeQuery(SELECT).close();
				conflict.run();
				SQLException failure = catchThrowableOfType(SQLException.class, () -> statement.execute(failing));
				assertThat((Throwable) failure).as("the statement in a transaction").isNotNull();
				observation.put("same transaction: next statement", SqlFailures
					.describe(catchThrowableOfType(SQLException.class, () -> statement.executeQuery(SELECT))));
				observation.put("same transaction: commit",
						SqlFailures.describe(catchThrowableOfType(SQLException.class, connection::commit)));
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		}
	}

	/**
	 * Run what must fail and describe, as the application sees them, the Spring exception
	 * and the JDBC exception beneath it.
	 */
	static Map<String, String> failure(Runnable action) {
		long start = System.nanoTime();
		DataAccessException failure = catchThrowableOfType(DataAccessException.class, action::run);
		double elapsed = (System.nanoTime() - start) / 1e9;
		assertThat(failure).as("a DataAccessException").isNotNull();
		Map<String, String> observation = FidelityTable.observation();
		observation.put("Spring exception", failure.getClass().getSimpleName());
		observation.putAll(SqlFailures.fields((SQLException) failure.getCause()));
		observation.put("fails after", String.format(Locale.ROOT, "%.1f s", elapsed));
		return observation;
	}

	/**
	 * Run a transaction that must fail and describe what the application sees. When the
	 * commit fails, Spring rolls back, and when that fails too (as on a connection the
	 * commit's failure closed) it throws the rollback's
	 * {@link TransactionSystemException} with the commit's failure kept aside: both are
	 * described.
	 */
	static Map<String, String> transactionFailure(Runnable action) {
		long start = System.nanoTime();
		RuntimeException failure = catchThrowableOfType(RuntimeException.class, action::run);
		double elapsed = (System.nanoTime() - start) / 1e9;
		assertThat(failure).as("a failed transaction").isNotNull();
		Map<String, String> observation = FidelityTable.observation();
		Throwable transactionFailure = failure;
		if (failure instanceof TransactionSystemException rollback && rollback.getApplicationException() != null) {
			observation.put("Spring exception", rollback.getClass().getSimpleName() + " \"" + rollback.getMessage()
					+ "\": " + SqlFailures.describe((SQLException) rollback.getCause()));
			transactionFailure = rollback.getApplicationException();
			observation.put("the failure it keeps aside", transactionFailure.getClass().getSimpleName());
		}
		else {
			observation.put("Spring exception", failure.getClass().getSimpleName());
		}
		observation.putAll(SqlFailures.fields((SQLException) transactionFailure.getCause()));
		observation.put("fails after", String.format(Locale.ROOT, "%.1f s", elapsed));
		return observation;
	}

	/**
	 * What follows a lost connection: its next use, through the pool and beneath it, and
	 * whether Hikari threw it away.
	 */
	static void laterUse(Map<String, String> observation, Connection held, Connection physical, HikariDataSource pool)
			throws SQLException {
		// Hikari swaps a broken connection's delegate for its own closed one: that is
		// what
		// the application meets next, whoever broke it.
		observation.put("later use, through Hikari", SqlFailures
			.describe(catchThrowableOfType(SQLException.class, () -> held.createStatement().executeQuery(SELECT))));
		beneathThePool(observation, physical);
		// Hikari counts a connection it evicted out at once; one it kept stays counted.
		// Observed,
		// not assumed: a connection Hikari kept shows up as a difference in the table.
		observation.put("Hikari evicts it", eviction(pool));
	}

	/**
	 * What the driver's own connection does, without Hikari in between: the first
	 * failure, then the state it is left in.
	 */
	static void beneathThePool(Map<String, String> observation, Connection physical) throws SQLException {
		SQLException first = catchThrowableOfType(SQLException.class,
				() -> physical.createStatement().executeQuery(SELECT));
		observation.put("beneath the pool: first use",
				SqlFailures.describe(first) + ((first != null) ? "; next: " + SqlFailures.nextExceptions(first) : ""));
		observation.put("beneath the pool: later use", SqlFailures
			.describe(catchThrowableOfType(SQLException.class, () -> physical.createStatement().executeQuery(SELECT))));
		observation.put("beneath the pool: isClosed, isValid", physical.isClosed() + ", " + physical.isValid(1));
	}

	/**
	 * A transaction that writes a row and commits, as a Spring Boot application does
	 * (Spring's {@link JdbcTransactionManager} over the pool), whose commit is cut off by
	 * {@code cut}: what the application meets, whether the row was committed all the
	 * same, read by another client, and what the connection does next, through the pool
	 * and beneath it (a connection of its own, cut the same way).
	 * @param pool the pool
	 * @param cut makes the next commit's reply go missing, for real or by a rule
	 * @param rows counts the rows of a name, on a connection of its own
	 * @return the observation
	 */
	static Map<String, String> lostCommitReply(HikariDataSource pool, Runnable cut, RowCounter rows)
			throws SQLException {
		Map<String, String> observation;
		String name = "commit " + UUID.randomUUID();
		try (Connection held = pool.getConnection()) {
			SingleConnectionDataSource single = new SingleConnectionDataSource(held, true);
			TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(single));
			cut.run();
			observation = transactionFailure(() -> transaction
				.executeWithoutResult((status) -> new JdbcTemplate(single).update(ROW_OF_NAME, name)));
			afterTheLostReply(observation, held, pool, rows, name);
		}
		String beneath = "beneath the pool " + UUID.randomUUID();
		try (Connection physical = pool.getDataSource().getConnection()) {
			physical.setAutoCommit(false);
			try (PreparedStatement insert = physical.prepareStatement(ROW_OF_NAME)) {
				insert.setString(1, beneath);
				insert.executeUpdate();
			}
			cut.run();
			observation.put("beneath the pool: commit",
					SqlFailures.describe(catchThrowableOfType(SQLException.class, physical::commit)));
			observation.put("beneath the pool: the row, read by another client", committed(rows, beneath));
			laterUseBeneathThePool(observation, physical);
		}
		return observation;
	}

	/**
	 * A write in auto-commit mode, as {@link JdbcTemplate} runs it outside a transaction,
	 * whose reply is cut off by {@code cut}: as {@link #lostCommitReply}.
	 * @param pool the pool
	 * @param cut makes the next write's reply go missing, for real or by a rule
	 * @param rows counts the rows of a name, on a connection of its own
	 * @return the observation
	 */
	static Map<String, String> lostAutoCommitReply(HikariDataSource pool, Runnable cut, RowCounter rows)
			throws SQLException {
		Map<String, String> observation;
		String name = "auto-commit " + UUID.randomUUID();
		try (Connection held = pool.getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			cut.run();
			observation = failure(() -> onHeld.update(ROW_OF_NAME, name));
			afterTheLostReply(observation, held, pool, rows, name);
		}
		String beneath = "beneath the pool " + UUID.randomUUID();
		try (Connection physical = pool.getDataSource().getConnection();
				PreparedStatement insert = physical.prepareStatement(ROW_OF_NAME)) {
			insert.setString(1, beneath);
			cut.run();
			observation.put("beneath the pool: write",
					SqlFailures.describe(catchThrowableOfType(SQLException.class, insert::executeUpdate)));
			observation.put("beneath the pool: the row, read by another client", committed(rows, beneath));
			laterUseBeneathThePool(observation, physical);
		}
		return observation;
	}

	/**
	 * A query whose rows are fetched {@code fetchSize} at a time in a transaction, as the
	 * driver streams them, and whose connection is lost once the first fetch has been
	 * read: what the application meets, after how many rows, and what the connection does
	 * next, through the pool and beneath it (a connection of its own, broken the same
	 * way).
	 * @param pool the pool
	 * @param query the query, of more than {@code fetchSize} rows
	 * @param fetchSize the rows of each fetch
	 * @param cut loses the connection once the first fetch has been read: for real, or
	 * nothing where a rule breaks the result
	 * @return the observation
	 */
	static Map<String, String> brokenResult(HikariDataSource pool, String query, int fetchSize, Runnable cut)
			throws SQLException {
		Map<String, String> observation;
		int[] rows = new int[1];
		try (Connection held = pool.getConnection()) {
			held.setAutoCommit(false);
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.setFetchSize(fetchSize);
			observation = failure(() -> onHeld.query(query, (RowCallbackHandler) (row) -> {
				if (++rows[0] == fetchSize) {
					cut.run();
				}
			}));
			observation.put("rows read before the failure", Integer.toString(rows[0]));
			observation.put("later use, through Hikari", SqlFailures
				.describe(catchThrowableOfType(SQLException.class, () -> held.createStatement().executeQuery(SELECT))));
			observation.put("Hikari evicts it", eviction(pool));
		}
		try (Connection physical = pool.getDataSource().getConnection()) {
			physical.setAutoCommit(false);
			try (Statement statement = physical.createStatement()) {
				statement.setFetchSize(fetchSize);
				ResultSet result = statement.executeQuery(query);
				for (int row = 0; row < fetchSize; row++) {
					result.next();
				}
				cut.run();
				observation.put("beneath the pool: next()",
						SqlFailures.describe(catchThrowableOfType(SQLException.class, result::next)));
				observation.put("beneath the pool: next() again",
						SqlFailures.describe(catchThrowableOfType(SQLException.class, result::next)));
			}
			catch (SQLException ex) {
				// Closing a statement of a lost connection may fail: it is gone either
				// way.
			}
			laterUseBeneathThePool(observation, physical);
		}
		return observation;
	}

	/**
	 * What a lost reply leaves behind: whether the row was committed all the same, and
	 * what the connection does next through the pool.
	 */
	private static void afterTheLostReply(Map<String, String> observation, Connection held, HikariDataSource pool,
			RowCounter rows, String name) throws SQLException {
		observation.put("the row, read by another client", committed(rows, name));
		observation.put("later use, through Hikari", SqlFailures
			.describe(catchThrowableOfType(SQLException.class, () -> held.createStatement().executeQuery(SELECT))));
		observation.put("Hikari evicts it", eviction(pool));
	}

	private static String committed(RowCounter rows, String name) throws SQLException {
		long count = rows.count(name);
		return (count == 1) ? "committed" : (count == 0) ? "not committed" : count + " rows";
	}

	private static void laterUseBeneathThePool(Map<String, String> observation, Connection physical)
			throws SQLException {
		observation.put("beneath the pool: later use", SqlFailures
			.describe(catchThrowableOfType(SQLException.class, () -> physical.createStatement().executeQuery(SELECT))));
		observation.put("beneath the pool: isClosed, isValid", physical.isClosed() + ", " + physical.isValid(1));
	}

	static String outcome(JdbcTemplate template) {
		try {
			template.queryForObject("select 1", Integer.class);
			return "succeeds";
		}
		catch (DataAccessException ex) {
			return "fails";
		}
	}

	static String eviction(HikariDataSource pool) {
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> pool.getHikariPoolMXBean().getTotalConnections() == 0);
			return "yes";
		}
		catch (ConditionTimeoutException ex) {
			return "no: " + pool.getHikariPoolMXBean().getTotalConnections() + " connections still counted after 5 s";
		}
	}

	static String recovery(JdbcTemplate template) {
		try {
			await().atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(100))
				.ignoreExceptions()
				.until(() -> template.queryForObject("select 1", Integer.class) == 1);
			return "yes";
		}
		catch (ConditionTimeoutException ex) {
			return "no: still failing after 15 s";
		}
	}

	static Explanation timing(double toleranceSeconds) {
		return new Explanation("timing differs by a few ms; equal within " + toleranceSeconds + " s",
				(real, injected) -> isSeconds(real) && isSeconds(injected)
						&& Math.abs(seconds(real) - seconds(injected)) <= toleranceSeconds);
	}

	private static boolean isSeconds(String value) {
		return value.matches("\\d+\\.\\d s");
	}

	static double seconds(String value) {
		return Double.parseDouble(value.replace(" s", ""));
	}

	/** Leave the pool without connections, so that the next borrower needs a new one. */
	static void evictAll(HikariDataSource pool) {
		pool.getHikariPoolMXBean().softEvictConnections();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isZero());
	}

	private Observe() {
	}

	/**
	 * Counts the rows of the test table of a name, on a connection of its own, beneath
	 * dbchaos and outside the pool.
	 */
	@FunctionalInterface
	interface RowCounter {

		long count(String name) throws SQLException;

		/**
		 * Count on connections opened straight to the server.
		 * @param connections opens a connection to the server
		 * @return the counter
		 */
		static RowCounter on(Connections connections) {
			return (name) -> {
				try (Connection connection = connections.open();
						PreparedStatement count = connection
							.prepareStatement("select count(*) from sneakers where name = ?")) {
					count.setString(1, name);
					try (ResultSet result = count.executeQuery()) {
						result.next();
						return result.getLong(1);
					}
				}
			};
		}

	}

	/**
	 * Opens a connection straight to the server, beneath dbchaos and outside the pool.
	 */
	@FunctionalInterface
	interface Connections {

		Connection open() throws SQLException;

	}

}
