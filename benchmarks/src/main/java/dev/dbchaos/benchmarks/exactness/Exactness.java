package dev.dbchaos.benchmarks.exactness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.dbchaos.benchmarks.PooledDataSource;
import dev.dbchaos.benchmarks.Variant;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;

/**
 * Measures how exact dbchaos's faults are, through the same layout the benchmarks use
 * (HikariCP over {@code ChaosDataSource} over the driver), and prints a Markdown table
 * with a verdict per target. Run with
 * {@code java -cp benchmarks.jar dev.dbchaos.benchmarks.exactness.Exactness
 * [latency|probability|toggle ...] [--calls-scale=0.01]}; the scale shrinks the call
 * counts for a quick check.
 * <p>
 * The database is an in-memory H2 unless {@code -Ddbchaos.bench.url}, {@code .user} and
 * {@code .password} name another (PostgreSQL): what is measured is dbchaos's own
 * precision, which the database's sub-millisecond work barely touches.
 */
public final class Exactness {

	private static final String SQL = "SELECT ?";

	private static final String SERIALIZATION_FAILURE = "40001";

	private final PooledDataSource dataSource;

	private final double scale;

	private final List<String> rows = new ArrayList<>();

	private boolean allMet = true;

	Exactness(PooledDataSource dataSource, double scale) {
		this.dataSource = dataSource;
		this.scale = scale;
	}

	/**
	 * Run the measurements named on the command line, or all of them.
	 * @param args measurement names and options
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		double scale = 1.0;
		List<String> which = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith("--calls-scale=")) {
				scale = Double.parseDouble(arg.substring("--calls-scale=".length()));
			}
			else {
				which.add(arg);
			}
		}
		if (which.isEmpty()) {
			which = List.of("latency", "probability", "toggle");
		}
		String url = System.getProperty("dbchaos.bench.url", "jdbc:h2:mem:exactness;DB_CLOSE_DELAY=-1");
		String driver = url.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : "org.h2.Driver";
		try (PooledDataSource dataSource = new PooledDataSource(Variant.DBCHAOS_IDLE, url, driver,
				System.getProperty("dbchaos.bench.user", "sa"), System.getProperty("dbchaos.bench.password", ""), 2)) {
			Exactness exactness = new Exactness(dataSource, scale);
			String table = exactness.run(which);
			System.out.println(table);
			Path out = Path.of(System.getProperty("dbchaos.bench.exactness-out", "exactness.md"));
			Files.writeString(out, table);
			if (!exactness.allMet()) {
				System.exit(1);
			}
		}
	}

	/**
	 * Run measurements and return their table.
	 * @param which the measurements to run
	 * @return the Markdown table
	 * @throws Exception on failure
	 */
	String run(List<String> which) throws Exception {
		for (String name : which) {
			switch (name) {
				case "latency" -> latency(calls(1_000));
				case "probability" -> {
					for (double probability : new double[] { 0.1, 0.5, 0.9 }) {
						probability(probability, calls(100_000));
					}
				}
				case "toggle" -> toggle(calls(1_000));
				default -> throw new IllegalArgumentException("Unknown measurement '" + name + "'");
			}
		}
		StringBuilder table = new StringBuilder();
		table.append("| measurement | calls | result | target | met |\n");
		table.append("| --- | ---: | --- | --- | --- |\n");
		this.rows.forEach((row) -> table.append(row).append('\n'));
		return table.toString();
	}

	/**
	 * Return whether every measurement run so far met its target.
	 * @return whether all targets were met
	 */
	boolean allMet() {
		return this.allMet;
	}

	private int calls(int full) {
		return Math.max(1, (int) Math.round(full * this.scale));
	}

	private FaultRegistry registry() {
		return this.dataSource.getRegistry();
	}

	/**
	 * A 100 ms latency fault: how long whole calls (borrow, prepare, execute, read,
	 * close) take, as the application sees them.
	 * @param calls the number of calls to time
	 */
	private void latency(int calls) throws SQLException {
		registry().clear();
		warmUp();
		FaultRule rule = registry().add(FaultSpec.builder(FaultType.LATENCY)
			.delay(Duration.ofMillis(100))
			.duration(Duration.ofMinutes(30))
			.build());
		long[] nanos = new long[calls];
		try {
			for (int i = 0; i < calls; i++) {
				long start = System.nanoTime();
				select(i);
				nanos[i] = System.nanoTime() - start;
			}
		}
		finally {
			registry().remove(rule.getId());
		}
		Arrays.sort(nanos);
		double p50 = millis(percentile(nanos, 50));
		double p99 = millis(percentile(nanos, 99));
		boolean met = p50 >= 100.0 && p50 <= 102.0 && p99 <= 105.0;
		row("latency 100 ms", calls, format("p50 %.2f ms, p99 %.2f ms (min %.2f, max %.2f)", p50, p99, millis(nanos[0]),
				millis(nanos[calls - 1])), "p50 100–102 ms, p99 ≤ 105 ms", met);
	}

	/**
	 * A probabilistic error fault: how many of the calls it broke, against the binomial
	 * expectation.
	 * @param probability the chance, from 0 to 1, that the rule breaks a call
	 * @param calls the number of calls to run under the rule
	 */
	private void probability(double probability, int calls) throws SQLException {
		registry().clear();
		FaultRule rule = registry().add(FaultSpec.builder(FaultType.ERROR)
			.sqlState(SERIALIZATION_FAILURE)
			.probability(probability)
			.duration(Duration.ofMinutes(30))
			.build());
		int failed = 0;
		try {
			for (int i = 0; i < calls; i++) {
				if (!selectSucceeded(i)) {
					failed++;
				}
			}
		}
		finally {
			registry().remove(rule.getId());
		}
		double expected = calls * probability;
		double deviation = Math.sqrt(calls * probability * (1 - probability));
		double sigmas = (failed - expected) / deviation;
		row(format("probability %.1f", probability), calls,
				format("%d failed, expected %.0f ± %.1f (%+.2f σ)", failed, expected, deviation, sigmas), "within ±3 σ",
				Math.abs(sigmas) <= 3.0);
	}

	/**
	 * Adds and removes an error rule while another thread runs calls back to back. The
	 * call that takes its number right after {@code add} returns must fail, the one that
	 * takes its number right after {@code remove} returns must not: in-process, the same
	 * guarantee the actuator's POST and DELETE rely on.
	 * @param trials the number of add-then-remove rounds
	 */
	private void toggle(int trials) throws Exception {
		registry().clear();
		warmUp();
		FaultSpec spec = FaultSpec.builder(FaultType.ERROR)
			.sqlState(SERIALIZATION_FAILURE)
			.duration(Duration.ofMinutes(30))
			.build();
		// Outcome of call n: 0 while running, 1 succeeded, 2 failed by the rule, 3 failed
		// otherwise.
		AtomicIntegerArray outcomes = new AtomicIntegerArray(4_000_000);
		AtomicLong started = new AtomicLong();
		AtomicBoolean stop = new AtomicBoolean();
		Thread worker = new Thread(() -> {
			while (!stop.get()) {
				int call = (int) started.incrementAndGet();
				if (call >= outcomes.length()) {
					return;
				}
				outcomes.set(call, outcome(call));
			}
		}, "toggle-worker");
		worker.start();
		int missedAdd = 0;
		int missedRemove = 0;
		try {
			for (int trial = 0; trial < trials; trial++) {
				FaultRule rule = registry().add(spec);
				int afterAdd = (int) started.get() + 1;
				if (await(outcomes, afterAdd, worker) != 2) {
					missedAdd++;
				}
				registry().remove(rule.getId());
				int afterRemove = (int) started.get() + 1;
				if (await(outcomes, afterRemove, worker) != 1) {
					missedRemove++;
				}
			}
		}
		finally {
			stop.set(true);
			worker.join(TimeUnit.SECONDS.toMillis(10));
			registry().clear();
		}
		row("toggle: first call after add affected", trials, missedAdd + " missed", "0 missed", missedAdd == 0);
		row("toggle: first call after remove unaffected", trials, missedRemove + " missed", "0 missed",
				missedRemove == 0);
	}

	private int outcome(int call) {
		try {
			select(call);
			return 1;
		}
		catch (SQLException ex) {
			return SERIALIZATION_FAILURE.equals(ex.getSQLState()) ? 2 : 3;
		}
	}

	private static int await(AtomicIntegerArray outcomes, int call, Thread worker) {
		if (call >= outcomes.length()) {
			throw new IllegalStateException("Ran out of call slots");
		}
		int outcome;
		while ((outcome = outcomes.get(call)) == 0) {
			if (!worker.isAlive()) {
				throw new IllegalStateException("Toggle worker stopped");
			}
			// Parking rather than spinning leaves the worker a core on a small machine.
			LockSupport.parkNanos(20_000);
		}
		return outcome;
	}

	private void warmUp() throws SQLException {
		for (int i = 0; i < 20_000; i++) {
			select(i);
		}
	}

	private boolean selectSucceeded(int value) throws SQLException {
		try {
			select(value);
			return true;
		}
		catch (SQLException ex) {
			if (SERIALIZATION_FAILURE.equals(ex.getSQLState())) {
				return false;
			}
			throw ex;
		}
	}

	private int select(int value) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(SQL)) {
			statement.setInt(1, value);
			try (ResultSet resultSet = statement.executeQuery()) {
				resultSet.next();
				return resultSet.getInt(1);
			}
		}
	}

	private void row(String measurement, int calls, String result, String target, boolean met) {
		this.allMet &= met;
		this.rows.add("| " + measurement + " | " + String.format(Locale.ROOT, "%,d", calls) + " | " + result + " | "
				+ target + " | " + (met ? "yes" : "**no**") + " |");
	}

	private static long percentile(long[] sorted, double percent) {
		// Nearest rank: the smallest value with at least percent% of the values at or
		// below it.
		int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
