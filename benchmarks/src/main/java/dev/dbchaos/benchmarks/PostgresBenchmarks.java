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
 * Overhead against a real local PostgreSQL, where a query crosses a socket and the server
 * does real work: the figure that tells whether a service would notice dbchaos.
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PostgresBenchmarks {

	private static final String LOOKUP = "SELECT id, balance, owner FROM bench_account WHERE id = ?";

	/**
	 * The {@link Variant#id() id} of the variant measured: what sits between HikariCP and
	 * the PostgreSQL driver.
	 */
	@Param({ "raw", "dbchaosIdle", "dbchaos10Rules", "dbchaos1000Rules", "datasourceProxy", "p6spy" })
	public String variant;

	private PooledDataSource dataSource;

	private int id;

	@Setup(Level.Trial)
	public void setUp() throws SQLException {
		PostgresServer.createSchema();
		this.dataSource = new PooledDataSource(Variant.of(this.variant), PostgresServer.url(), "org.postgresql.Driver",
				PostgresServer.user(), PostgresServer.password(), 2);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.dataSource.close();
	}

	/**
	 * Workload (b): a primary-key lookup as an application runs it, borrow to close.
	 * Sampled so that the median and tail are reported beside the mean.
	 * @return the balance read
	 * @throws SQLException on failure
	 */
	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public long primaryKeyLookup() throws SQLException {
		this.id = (this.id % PostgresServer.ROWS) + 1;
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(LOOKUP)) {
			statement.setLong(1, this.id);
			try (ResultSet resultSet = statement.executeQuery()) {
				resultSet.next();
				return resultSet.getLong(2);
			}
		}
	}

	/**
	 * Workload (c) against a real server: open and close a physical connection through
	 * the variant, the cost the pool pays on every (re)connect.
	 * @return whether the connection was open
	 * @throws SQLException on failure
	 */
	@Benchmark
	@BenchmarkMode(Mode.AverageTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public boolean connectAndClose() throws SQLException {
		try (Connection connection = this.dataSource.getUnpooled().getConnection()) {
			return !connection.isClosed();
		}
	}

}
