package dev.dbchaos.benchmarks;

import java.time.Duration;
import java.util.List;
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

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.fault.Operation;

/**
 * The fault engine's decision alone, without a driver or a pool: what
 * {@link FaultRegistry#fire(JdbcCall)} costs for a statement that none of 0, 10 or 1,000
 * active rules can match (the rules of {@link Variant#addNonMatchingRules}, as the
 * variants of the same names add them). Separates the cost of the rules from the noise of
 * the JDBC path around them, which on a small machine is larger than the differences to
 * resolve.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RuleMatchingBenchmarks {

	/**
	 * Whose rules are active, none of which can match the call: those of
	 * {@code dbchaosIdle} (none), {@code dbchaos10Rules} or {@code dbchaos1000Rules}.
	 */
	@Param({ "dbchaosIdle", "dbchaos10Rules", "dbchaos1000Rules" })
	public String variant;

	private FaultRegistry registry;

	private final JdbcCall call = new JdbcCall(Operation.QUERY, "SELECT ?", false, Variant.DATA_SOURCE_NAME);

	@Setup(Level.Trial)
	public void setUp() {
		this.registry = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1));
		// The same history as every pool of the other benchmarks (PooledDataSource).
		Variant.addAndRemoveRules(this.registry, PooledDataSource.RULE_HISTORY);
		Variant.addNonMatchingRules(this.registry, Variant.of(this.variant).ruleCount());
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.registry.close();
	}

	/**
	 * Ask which rules fire for a prepared statement's execution.
	 * @return the rules that fire: none
	 */
	@Benchmark
	public List<FaultRule> fire() {
		return this.registry.fire(this.call);
	}

}
