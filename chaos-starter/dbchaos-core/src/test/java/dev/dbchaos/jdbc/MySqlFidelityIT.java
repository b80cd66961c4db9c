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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AbstractMySqlProtocolFidelityIT}'s scenarios for MySQL Connector/J
 * ({@code jdbc:mysql:}) against a real MariaDB, compared aspect by aspect in
 * {@code docs/fidelity-mysql.md}.
 */
class MySqlFidelityIT extends AbstractMySqlProtocolFidelityIT {

	private static final String COMMAND = "./mvnw -Preports -pl chaos-starter/dbchaos-core -am install -Dit.test=MySqlFidelityIT";

	private static final FidelityTable table = new FidelityTable();

	/**
	 * The driver's account of a lost connection, which names how long ago the connection
	 * last sent and received a packet.
	 */
	private static final Explanation PACKET_TIMES = Explanation.normalized(
			"MySQL Connector/J says how many milliseconds ago the connection last sent and received a packet, "
					+ "which varies from run to run (dbchaos asks the connection's own clocks, as the driver does, "
					+ "but fails the call before it is sent); compared with the numbers of ms removed",
			(value) -> value.replaceAll("\\d[\\d,]* milliseconds ago", "N milliseconds ago"));

	/** What dbchaos cannot say about a batch it fails before the driver runs it. */
	private static final Explanation BATCH_SIZE_UNKNOWN = new Explanation(
			"MySQL Connector/J runs every entry (continueBatchOnError) and marks each failed one EXECUTE_FAILED "
					+ "(-3); dbchaos fails the batch before the driver and does not know its size, so it reports no "
					+ "counts",
			(real, injected) -> real.matches("\\[-3(, -3)*]") && injected.equals("[]"));

	/**
	 * What a connection whose result broke off does next, where the driver keeps it open.
	 */
	private static final Explanation KEPT_OPEN = new Explanation(
			"known limit: MySQL Connector/J keeps a connection whose cursor fetch broke open, failing its next use "
					+ "with a communications failure and reporting isClosed false; dbchaos ends it as PgJDBC does "
					+ "(08003, isClosed true). Through the pool both are evicted alike",
			(real, injected) -> real.contains("Communications link failure")
					&& (injected.contains("Connection is closed")
							|| injected.contains("No operations allowed after connection closed"))
					|| real.equals("false, false") && injected.equals("true, false"));

	/** What a second read of a result that broke off gives. */
	private static final Explanation SECOND_READ = new Explanation(
			"known limit: after the broken fetch MySQL Connector/J's next() returns again without an error; "
					+ "the result dbchaos broke belongs to the connection it closed, so the driver refuses it as "
					+ "closed",
			(real, injected) -> real.equals("no exception")
					&& injected.contains("Operation not allowed after ResultSet closed"));

	private static ManagedMariaDb mariadb;

	private static String serverVersion = "unknown";

	private static String driverVersion = "MySQL Connector/J";

	@BeforeAll
	static void startMariaDb() throws SQLException {
		mariadb = ManagedMariaDb.create();
		mariadb.start();
		try (Connection connection = DriverManager.getConnection(mariadb.mysqlJdbcUrl(), mariadb.username(),
				mariadb.password())) {
			assertThat(connection.getMetaData().getDriverName()).as("the driver that takes jdbc:mysql:")
				.startsWith("MySQL Connector/J");
			MySqlProtocolScenarios.createTable(connection);
			serverVersion = "MariaDB " + connection.getMetaData().getDatabaseProductVersion();
			// "mysql-connector-j-9.7.0 (Revision: ...)": the version is the part that
			// matters here.
			driverVersion = "MySQL Connector/J "
					+ connection.getMetaData().getDriverVersion().replaceFirst("^\\D*(\\d+(\\.\\d+)*).*$", "$1");
		}
	}

	@AfterAll
	static void writeTableAndCloseMariaDb() {
		try {
			table.write(Path.of("target", "reports", "docs", "fidelity-mysql.md"), "MySqlFidelityIT", COMMAND,
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
		return mariadb.mysqlJdbcUrl();
	}

	@Override
	FidelityTable table() {
		return table;
	}

	@Override
	Explanation varyingText() {
		return PACKET_TIMES;
	}

	@Override
	List<String> aspectsWithVaryingText() {
		return List.of("message", "next exceptions", "cause", "beneath the pool: first use", "beneath the pool: write",
				"beneath the pool: commit", "beneath the pool: next()", "beneath the pool: next() again");
	}

	@Override
	Map<String, Explanation> readOnlyBatches() {
		return Map.of("Statement batch: update counts", BATCH_SIZE_UNKNOWN, "PreparedStatement batch: update counts",
				BATCH_SIZE_UNKNOWN);
	}

	@Override
	String resultResetCut() {
		return "network cut between two fetches, useCursorFetch=true";
	}

	/**
	 * MySQL Connector/J reads a whole result before {@code executeQuery} returns unless
	 * it is told to fetch it through a server-side cursor ({@code useCursorFetch=true}
	 * and a fetch size), as PgJDBC does in a transaction: only then can the network break
	 * a result in the middle, between two fetches.
	 */
	@Override
	String streamingJdbcUrl() {
		String url = mariadb.mysqlJdbcUrl();
		return url + (url.contains("?") ? "&" : "?") + "useCursorFetch=true";
	}

	@Override
	Map<String, Explanation> resultResetDifferences() {
		return Map.of("later use, through Hikari", KEPT_OPEN, "beneath the pool: later use", KEPT_OPEN,
				"beneath the pool: isClosed, isValid", KEPT_OPEN, "beneath the pool: next() again", SECOND_READ);
	}

}
