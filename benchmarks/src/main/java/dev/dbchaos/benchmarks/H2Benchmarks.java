package dev.dbchaos.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-call overhead against an in-memory H2, whose own work is so small that what the
 * layers beneath the pool add shows up in nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class H2Benchmarks {

	private static final String SQL = "SELECT ?";

	/**
	 * The {@link Variant#id() id} of the variant measured: what sits between HikariCP and
	 * the H2 driver.
	 */
	@Param({ "raw", "dbchaosIdle", "dbchaos10Rules", "dbchaos1000Rules", "datasourceProxy", "p6spy" })
	public String variant;

	private PooledDataSource dataSource;

	private Connection heldConnection;

	private PreparedStatement heldStatement;

	private int value;

	@Setup(Level.Trial)
	public void setUp() throws SQLException {
		// One database per variant and fork, kept open while the pool's connections come
		// and go.
		String url = "jdbc:h2:mem:bench-" + this.variant + ";DB_CLOSE_DELAY=-1";
		this.dataSource = new PooledDataSource(Variant.of(this.variant), url, "org.h2.Driver", "sa", "", 2);
		this.heldConnection = this.dataSource.getConnection();
		this.heldStatement = this.heldConnection.prepareStatement(SQL);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws SQLException {
		this.heldStatement.close();
		this.heldConnection.close();
		this.dataSource.close();
	}

	/**
	 * Workload (a) as an application runs it: borrow a connection, prepare
	 * {@code SELECT ?}, bind, execute, read, close everything.
	 * @return the value read, so that nothing is optimised away
	 * @throws SQLException on failure
	 */
	@Benchmark
	public int selectPrepared() throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(SQL)) {
			statement.setInt(1, ++this.value);
			try (ResultSet resultSet = statement.executeQuery()) {
				resultSet.next();
				return resultSet.getInt(1);
			}
		}
	}

	/**
	 * Workload (a) narrowed to one intercepted JDBC call: {@code executeQuery} of a
	 * statement prepared once, so the difference to raw is the cost of a single call.
	 * @return the value read
	 * @throws SQLException on failure
	 */
	@Benchmark
	public int executeQuery() throws SQLException {
		this.heldStatement.setInt(1, ++this.value);
		try (ResultSet resultSet = this.heldStatement.executeQuery()) {
			resultSet.next();
			return resultSet.getInt(1);
		}
	}

	/**
	 * Workload (c): borrow a connection from the pool and give it back.
	 * @return the connection's auto-commit flag, read so the borrow is used
	 * @throws SQLException on failure
	 */
	@Benchmark
	public boolean borrowAndClose() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			return connection.getAutoCommit();
		}
	}

	/**
	 * Workload (c) one layer down: open and close a physical connection through the
	 * variant, as the pool does when it fills or reconnects.
	 * @return whether the connection was open
	 * @throws SQLException on failure
	 */
	@Benchmark
	public boolean connectAndClose() throws SQLException {
		try (Connection connection = this.dataSource.getUnpooled().getConnection()) {
			return !connection.isClosed();
		}
	}

}
