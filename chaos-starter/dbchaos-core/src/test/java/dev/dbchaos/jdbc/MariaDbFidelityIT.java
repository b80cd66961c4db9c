package dev.dbchaos.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import dev.dbchaos.jdbc.FidelityTable.Explanation;
import dev.dbchaos.testdatabases.ManagedMariaDb;

/**
 * {@link AbstractMySqlProtocolFidelityIT}'s scenarios for MariaDB Connector/J
 * ({@code jdbc:mariadb:}), compared aspect by aspect in {@code docs/fidelity-mariadb.md}.
 */
class MariaDbFidelityIT extends AbstractMySqlProtocolFidelityIT {

	private static final String COMMAND = "./mvnw -Preports -pl chaos-starter/dbchaos-core -am install -Dit.test=MariaDbFidelityIT";

	private static final FidelityTable table = new FidelityTable();

	/** What dbchaos cannot say about a batch it fails before the driver runs it. */
	private static final Explanation BATCH_SIZE_UNKNOWN = new Explanation(
			"MariaDB Connector/J marks every entry EXECUTE_FAILED (-3); dbchaos fails the batch before the driver "
					+ "and does not know its size, so it reports no counts",
			(real, injected) -> real.matches("\\[-3(, -3)*]") && injected.equals("[]"));

	/**
	 * How the driver nests a prepared batch's failure, which dbchaos, failing a batch
	 * before the driver runs it, cannot tell from a plain one.
	 */
	private static final Explanation PREPARED_BATCH_CAUSE = Explanation.normalized(
			"MariaDB Connector/J nests a second BatchUpdateException in the cause chain of a failed "
					+ "PreparedStatement batch; dbchaos fails the batch before the driver and chains the error "
					+ "directly, as the driver does for a Statement batch; compared without the nested one and "
					+ "the (conn=N)",
			(value) -> value.replaceAll("\\(conn=\\d+\\)", "(conn=N)")
				.replaceAll("cause: BatchUpdateException [^→]*→ ", "cause: "));

	/**
	 * The server's thread id of a connection, which the driver puts in its messages.
	 */
	private static final Explanation THREAD_ID = Explanation.normalized(
			"the driver names the server's thread of the connection, (conn=N), which differs from one connection "
					+ "to the next; compared with the numbers removed",
			(value) -> value.replaceAll("\\(conn=\\d+\\)", "(conn=N)"));

	/** How many rows a broken stream still hands out. */
	private static final Explanation IN_FLIGHT = new Explanation(
			"the driver still reads the rows the network delivered before the cut, which dbchaos, breaking the "
					+ "result after exactly afterRows rows, does not hand out",
			(realValue, injectedValue) -> Integer.parseInt(realValue) >= Integer.parseInt(injectedValue));

	/** Where in a packet the stream ends. */
	private static final Explanation PARTIAL_PACKET = Explanation.normalized(
			"the real cut comes in the middle of a row, so the driver reads part of a packet before the end of "
					+ "the stream; dbchaos ends it between packets; compared with the byte counts removed",
			(value) -> value.replaceAll("read \\d+ bytes from \\d+", "read N bytes from M"));

	/** What a connection whose stream broke does next. */
	private static final Explanation KEPT_OPEN = new Explanation(
			"known limit: MariaDB Connector/J keeps a connection whose stream broke open, failing each later use "
					+ "with the streaming error and reporting isClosed false; dbchaos ends it as PgJDBC does "
					+ "(08003, isClosed true). Through the pool both are evicted alike and fail the same",
			(realValue,
					injectedValue) -> realValue.contains("Error while streaming resultSet data")
							&& injectedValue.contains("Connection is closed")
							|| realValue.equals("false, false") && injectedValue.equals("true, false"));

	/** What a second read of a broken result gives. */
	private static final Explanation SECOND_READ = new Explanation(
			"after the cut the driver hands out, from one run to the next, rows it had buffered before it "
					+ "(no exception) or the streaming error again; dbchaos gives the second",
			(realValue,
					injectedValue) -> (realValue.equals("no exception")
							|| realValue.contains("Error while streaming resultSet data"))
							&& injectedValue.contains("Error while streaming resultSet data"));

	private static ManagedMariaDb mariadb;

	private static String serverVersion = "unknown";

	private static String driverVersion = "MariaDB Connector/J";

	@BeforeAll
	static void startMariaDb() throws SQLException {
		mariadb = ManagedMariaDb.create();
		mariadb.start();
		try (Connection connection = DriverManager.getConnection(mariadb.jdbcUrl(), mariadb.username(),
				mariadb.password())) {
			MySqlProtocolScenarios.createTable(connection);
			serverVersion = "MariaDB " + connection.getMetaData().getDatabaseProductVersion();
			driverVersion = "MariaDB Connector/J " + connection.getMetaData().getDriverVersion();
		}
	}

	@AfterAll
	static void writeTableAndCloseMariaDb() {
		try {
			table.write(Path.of("target", "reports", "docs", "fidelity-mariadb.md"), "MariaDbFidelityIT", COMMAND,
					"MariaDB", serverVersion, driverVersion);
		}
		finally {
			if (mariadb != null) {
				mariadb.close();
			}
		}
	}

	@Override
	ManagedMariaDb server() {
		return mariadb;
	}

	@Override
	String jdbcUrl() {
		return mariadb.jdbcUrl();
	}

	@Override
	FidelityTable table() {
		return table;
	}

	@Override
	Explanation varyingText() {
		return THREAD_ID;
	}

	@Override
	List<String> aspectsWithVaryingText() {
		return List.of("message", "next exceptions", "cause", "later use, through Hikari",
				"beneath the pool: first use", "beneath the pool: later use", "beneath the pool: commit",
				"beneath the pool: write", "beneath the pool: next()", "beneath the pool: next() again",
				"Spring exception", "same transaction: next statement", "same transaction: commit", "read", "UPDATE",
				"DELETE", "CREATE TABLE", "SELECT FOR UPDATE", "Statement batch", "PreparedStatement batch");
	}

	@Override
	Map<String, Explanation> readOnlyBatches() {
		return Map.of("Statement batch: update counts", BATCH_SIZE_UNKNOWN, "PreparedStatement batch: update counts",
				BATCH_SIZE_UNKNOWN, "PreparedStatement batch", PREPARED_BATCH_CAUSE);
	}

	/**
	 * MariaDB sends a streamed result (a fetch size set) without being asked for each
	 * part, so the network is cut while the rows are on their way: the driver still reads
	 * those it has received.
	 */
	@Override
	String resultResetCut() {
		return "network cut while the rows stream in";
	}

	@Override
	String streamingJdbcUrl() {
		return mariadb.jdbcUrl();
	}

	@Override
	Map<String, Explanation> resultResetDifferences() {
		return Map.of("rows read before the failure", IN_FLIGHT, "cause", PARTIAL_PACKET, "beneath the pool: later use",
				KEPT_OPEN, "beneath the pool: isClosed, isValid", KEPT_OPEN, "beneath the pool: next() again",
				SECOND_READ);
	}

}
