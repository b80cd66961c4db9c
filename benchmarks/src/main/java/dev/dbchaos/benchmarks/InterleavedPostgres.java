package dev.dbchaos.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * Workload (b) measured interleaved: every variant's pool is open at once and they take
 * turns in short blocks, in a new random order each round, so that a neighbour's build
 * slowing the machine down for a minute hits every variant alike. On a small shared
 * machine this is what makes a difference of a few percent visible at all; JMH runs one
 * variant after the other.
 * <p>
 * {@code java -cp benchmarks.jar dev.dbchaos.benchmarks.InterleavedPostgres [rounds] [block-millis] [out.md]}
 */
public final class InterleavedPostgres {

	private static final String LOOKUP = "SELECT id, balance, owner FROM bench_account WHERE id = ?";

	private static final int WARMUP_ROUNDS = 2;

	private final Map<Variant, PooledDataSource> pools = new EnumMap<>(Variant.class);

	private final Map<Variant, Samples> samples = new EnumMap<>(Variant.class);

	// Per round and variant, the mean time of a lookup, to compare variants within a
	// round.
	private final Map<Variant, List<Double>> roundMeans = new EnumMap<>(Variant.class);

	private int id;

	private InterleavedPostgres() throws SQLException {
		PostgresServer.createSchema();
		for (Variant variant : Variant.values()) {
			this.pools.put(variant, new PooledDataSource(variant, PostgresServer.url(), "org.postgresql.Driver",
					PostgresServer.user(), PostgresServer.password(), 2));
			this.samples.put(variant, new Samples());
			this.roundMeans.put(variant, new ArrayList<>());
		}
	}

	/**
	 * Run the measurement and print its table.
	 * @param args rounds, block length in milliseconds and the file to write the table to
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
		long blockMillis = (args.length > 1) ? Long.parseLong(args[1]) : 1000;
		try (ManagedPostgres server = PostgresServer.startUnlessConfigured()) {
			String table = run(rounds, blockMillis);
			System.out.println(table);
			if (args.length > 2) {
				Files.writeString(Path.of(args[2]), table);
			}
		}
	}

	/**
	 * Run the measurement against the configured server.
	 * @param rounds how many measured rounds
	 * @param blockMillis how long each variant runs per round
	 * @return the Markdown table
	 * @throws SQLException on failure
	 */
	static String run(int rounds, long blockMillis) throws SQLException {
		InterleavedPostgres measurement = new InterleavedPostgres();
		try {
			List<Variant> order = new ArrayList<>(Arrays.asList(Variant.values()));
			Random shuffle = new Random(7);
			for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
				Collections.shuffle(order, shuffle);
				for (Variant variant : order) {
					measurement.block(variant, blockMillis, round >= WARMUP_ROUNDS);
				}
			}
			return measurement.table(rounds, blockMillis);
		}
		finally {
			measurement.pools.values().forEach(PooledDataSource::close);
		}
	}

	private void block(Variant variant, long blockMillis, boolean record) throws SQLException {
		PooledDataSource pool = this.pools.get(variant);
		Samples samples = this.samples.get(variant);
		long end = System.nanoTime() + blockMillis * 1_000_000;
		long total = 0;
		int count = 0;
		long now = System.nanoTime();
		while (now < end) {
			lookup(pool);
			long after = System.nanoTime();
			if (record) {
				samples.add(after - now);
				total += after - now;
				count++;
			}
			now = after;
		}
		if (record) {
			this.roundMeans.get(variant).add((double) total / count);
		}
	}

	private long lookup(PooledDataSource pool) throws SQLException {
		this.id = (this.id % PostgresServer.ROWS) + 1;
		try (Connection connection = pool.getConnection();
				PreparedStatement statement = connection.prepareStatement(LOOKUP)) {
			statement.setLong(1, this.id);
			try (ResultSet resultSet = statement.executeQuery()) {
				resultSet.next();
				return resultSet.getLong(2);
			}
		}
	}

	private String table(int rounds, long blockMillis) {
		StringBuilder table = new StringBuilder();
		table.append(String.format(Locale.ROOT, "%d rounds × %d ms per variant, interleaved in random order%n%n",
				rounds, blockMillis));
		table.append("| variant | lookups | ops/s | mean µs | p50 µs | p99 µs | vs raw: mean (median of rounds) "
				+ "| vs raw: p50 |\n");
		table.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
		Samples raw = this.samples.get(Variant.RAW);
		double rawP50 = raw.percentile(50);
		for (Variant variant : Variant.values()) {
			Samples samples = this.samples.get(variant);
			double mean = samples.mean();
			double p50 = samples.percentile(50);
			double[] ratios = new double[rounds];
			for (int round = 0; round < rounds; round++) {
				ratios[round] = this.roundMeans.get(variant).get(round) / this.roundMeans.get(Variant.RAW).get(round);
			}
			Arrays.sort(ratios);
			double medianRatio = (ratios[(rounds - 1) / 2] + ratios[rounds / 2]) / 2;
			table.append(String.format(Locale.ROOT,
					"| %s | %,d | %,.0f | %.2f | %.2f | %.2f | %.3f× (%+.1f%%) " + "| %.3f× (%+.1f%%) |%n",
					variant.id(), samples.size(), 1e9 / mean, mean / 1000, p50 / 1000, samples.percentile(99) / 1000,
					medianRatio, (medianRatio - 1) * 100, p50 / rawP50, (p50 / rawP50 - 1) * 100));
		}
		return table.toString();
	}

	/**
	 * Latencies in nanoseconds, kept whole so that percentiles are exact.
	 */
	private static final class Samples {

		private long[] values = new long[1 << 16];

		private int size;

		private boolean sorted;

		void add(long value) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = value;
			this.sorted = false;
		}

		int size() {
			return this.size;
		}

		double mean() {
			long total = 0;
			for (int i = 0; i < this.size; i++) {
				total += this.values[i];
			}
			return (double) total / this.size;
		}

		double percentile(double percent) {
			if (!this.sorted) {
				Arrays.sort(this.values, 0, this.size);
				this.sorted = true;
			}
			int rank = (int) Math.ceil(percent / 100.0 * this.size);
			return this.values[Math.max(0, rank - 1)];
		}

	}

}
