package dev.dbchaos.benchmarks;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.dbchaos.benchmarks.report.BenchmarkResult;
import dev.dbchaos.benchmarks.report.Report;
import dev.dbchaos.testdatabases.ContinuousIntegration;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark once, very briefly, so that a benchmark that no longer compiles,
 * starts or produces a score fails the build. The numbers mean nothing: no warm-up, no
 * fork.
 */
class BenchmarksSmokeTests {

	private static ManagedPostgres postgres;

	private static boolean postgresAvailable;

	@BeforeAll
	static void setUp() {
		// JMH refuses to run while another JMH holds its lock file; a smoke run needs no
		// exclusivity.
		System.setProperty("jmh.ignoreLock", "true");
		try {
			postgres = PostgresServer.startUnlessConfigured();
			postgresAvailable = true;
		}
		catch (IllegalStateException ex) {
			// In CI, which installs PostgreSQL, a missing server is a broken build, not a
			// skip.
			if (ContinuousIntegration.isCi()) {
				throw ex;
			}
			// No PostgreSQL binaries on a developer's machine: keep the H2 benchmarks
			// from
			// rotting at least, and say loudly what is not checked.
			System.err.println("Skipping the PostgreSQL benchmarks (install postgresql or set PG_BIN to run them): "
					+ ex.getMessage());
		}
	}

	@AfterAll
	static void tearDown() {
		if (postgres != null) {
			postgres.close();
			System.clearProperty(PostgresServer.URL_PROPERTY);
		}
	}

	@Test
	void everyBenchmarkProducesAScoreForEveryVariant(@TempDir Path temp) throws Exception {
		Path json = temp.resolve("smoke.json");
		OptionsBuilder builder = new OptionsBuilder();
		builder.include(H2Benchmarks.class.getName());
		int benchmarks = 4;
		if (postgresAvailable) {
			builder.include(PostgresBenchmarks.class.getName());
			benchmarks += 2;
		}
		Options options = builder.forks(0)
			.warmupIterations(0)
			.measurementIterations(1)
			.measurementTime(TimeValue.milliseconds(100))
			.resultFormat(ResultFormatType.JSON)
			.result(json.toString())
			.shouldFailOnError(true)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		assertThat(results).hasSize(benchmarks * Variant.values().length);
		assertThat(results).allSatisfy((result) -> assertThat(result.getPrimaryResult().getScore()).isPositive());

		Path table = temp.resolve("table.md");
		Path chart = temp.resolve("chart.png");
		Report.main(new String[] { json.toString(), table.toString(), chart.toString() });
		assertThat(BenchmarkResult.parse(Files.readString(json))).hasSize(results.size());
		assertThat(Files.readString(table)).contains("| H2Benchmarks.selectPrepared (avgt) | dbchaosIdle |");
		BufferedImage image = ImageIO.read(chart.toFile());
		assertThat(image.getWidth()).isPositive();
	}

	@Test
	void ruleMatchingBenchmarkScoresTheDecisionForEachVariantsRules() throws Exception {
		Options options = new OptionsBuilder().include(RuleMatchingBenchmarks.class.getName())
			.forks(0)
			.warmupIterations(0)
			.measurementIterations(1)
			.measurementTime(TimeValue.milliseconds(100))
			.shouldFailOnError(true)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		assertThat(results).extracting((result) -> result.getParams().getParam("variant"))
			.containsExactlyInAnyOrder("dbchaosIdle", "dbchaos10Rules", "dbchaos1000Rules");
		assertThat(results).allSatisfy((result) -> assertThat(result.getPrimaryResult().getScore()).isPositive());
	}

	@Test
	void interleavedPostgresLookupReportsEveryVariant() throws Exception {
		Assumptions.assumeTrue(postgresAvailable, "no PostgreSQL on this machine");
		String table = InterleavedPostgres.run(1, 50);
		for (Variant variant : Variant.values()) {
			assertThat(table).contains("| " + variant.id() + " | ");
		}
	}

}
