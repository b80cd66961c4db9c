package dev.dbchaos.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.p6spy.engine.spy.P6DataSource;
import net.ttddyy.dsproxy.listener.NoOpQueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.jdbc.ChaosDataSource;

/**
 * What sits between HikariCP and the driver in a benchmark. Every variant is placed where
 * the starter places dbchaos, beneath the pool, so that all of them see exactly the same
 * JDBC calls.
 */
public enum Variant {

	/**
	 * Nothing: HikariCP straight over the driver, the baseline every other variant is
	 * compared to.
	 */
	RAW("raw", 0) {
		@Override
		DataSource wrap(DataSource driver, FaultRegistry registry, String jdbcUrl) {
			return driver;
		}
	},

	/**
	 * dbchaos enabled with no rule, as it sits in a live service between chaos runs.
	 */
	DBCHAOS_IDLE("dbchaosIdle", 0) {
		@Override
		DataSource wrap(DataSource driver, FaultRegistry registry, String jdbcUrl) {
			return chaos(driver, registry, jdbcUrl);
		}
	},

	/**
	 * dbchaos with ten active rules of which none can match the benchmark's calls (see
	 * {@link #addNonMatchingRules}), so every call asks the rules but none is broken.
	 */
	DBCHAOS_10_RULES("dbchaos10Rules", 10) {
		@Override
		DataSource wrap(DataSource driver, FaultRegistry registry, String jdbcUrl) {
			return chaos(driver, registry, jdbcUrl);
		}
	},

	/**
	 * dbchaos with a thousand such rules, as parallel test suites leave active in a
	 * shared service: what a call costs must not grow with the rules it cannot match.
	 */
	DBCHAOS_1000_RULES("dbchaos1000Rules", 1000) {
		@Override
		DataSource wrap(DataSource driver, FaultRegistry registry, String jdbcUrl) {
			return chaos(driver, registry, jdbcUrl);
		}
	},

	/**
	 * datasource-proxy with a listener that does nothing, the cheapest it can be
	 * configured.
	 */
	DATASOURCE_PROXY("datasourceProxy", 0) {
		@Override
		DataSource wrap(DataSource driver, FaultRegistry registry, String jdbcUrl) {
			return ProxyDataSourceBuilder.create(DATA_SOURCE_NAME, driver)
				.listener(new NoOpQueryExecutionListener())
				.build();
		}
	},

	/**
	 * p6spy with its logging module off, as {@link P6Spy#configureWithoutLogging()} sets
	 * it up.
	 */
	P6SPY("p6spy", 0) {
		@Override
		DataSource wrap(DataSource driver, FaultRegistry registry, String jdbcUrl) {
			P6Spy.configureWithoutLogging();
			return new P6DataSource(driver);
		}
	};

	/**
	 * The data source name dbchaos sees, as the starter would pass the bean name.
	 */
	static final String DATA_SOURCE_NAME = "dataSource";

	private final String id;

	private final int ruleCount;

	Variant(String id, int ruleCount) {
		this.id = id;
		this.ruleCount = ruleCount;
	}

	/**
	 * Return the name used as the JMH parameter value.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return how many rules this variant keeps active, none of which can match the
	 * benchmarks' calls.
	 * @return the number of rules, 0 for the variants without dbchaos or without rules
	 */
	public int ruleCount() {
		return this.ruleCount;
	}

	/**
	 * Wrap the driver's data source as this variant does.
	 * @param driver the unpooled data source of the driver
	 * @param registry the registry dbchaos variants use; rules are added to it as needed
	 * @param jdbcUrl the URL the driver connects to
	 * @return the data source to hand to HikariCP
	 */
	abstract DataSource wrap(DataSource driver, FaultRegistry registry, String jdbcUrl);

	/**
	 * Return the variant of a JMH parameter value.
	 * @param id the id, as in {@link #id()}
	 * @return the variant
	 */
	public static Variant of(String id) {
		for (Variant variant : values()) {
			if (variant.id.equals(id)) {
				return variant;
			}
		}
		throw new IllegalArgumentException("Unknown variant '" + id + "'");
	}

	/**
	 * Wrap the driver as an application does: a {@link ChaosDataSource} made known to its
	 * registry, as the starter registers every one it creates, with this variant's
	 * {@link #ruleCount() rules} active.
	 * @param driver the unpooled data source of the driver
	 * @param registry the registry the chaos data source takes its faults from
	 * @param jdbcUrl the URL the driver connects to, which decides whose exceptions
	 * dbchaos imitates
	 * @return the registered chaos data source
	 */
	DataSource chaos(DataSource driver, FaultRegistry registry, String jdbcUrl) {
		addNonMatchingRules(registry, this.ruleCount);
		return new ChaosDataSource(driver, registry, DATA_SOURCE_NAME, jdbcUrl, null).register();
	}

	/**
	 * Add rules that are active but cannot fire for the benchmarks' calls, which run
	 * unscoped on {@link #DATA_SOURCE_NAME}. Half filter by a statement text no benchmark
	 * runs; of the other half, which have no other filter, every other one is limited to
	 * a scope of its own (as each test of a parallel suite scopes its rules) and the rest
	 * to another data source. Together they cover what chaos runs leave active in a
	 * service that is not their target.
	 * @param registry the registry
	 * @param count how many rules
	 * @return the rules added, in the order they were added
	 */
	static List<FaultRule> addNonMatchingRules(FaultRegistry registry, int count) {
		List<FaultRule> added = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			FaultSpec.Builder builder = FaultSpec.builder((i % 2 == 0) ? FaultType.ERROR : FaultType.LATENCY)
				.duration(Duration.ofHours(1));
			if (i % 2 == 0) {
				builder.sql("no_such_table_" + i + "\\b").sqlState("40001");
			}
			else {
				builder.operation(Operation.ANY).delay(Duration.ofMillis(100));
				if (i % 4 == 1) {
					builder.scope("other-test-" + i);
				}
				else {
					builder.dataSource("other");
				}
			}
			added.add(registry.add(builder.build()));
		}
		return added;
	}

	/**
	 * Add the rules of {@link #addNonMatchingRules} and remove them again, as the tests
	 * of a parallel suite add and remove theirs in a shared service. Every benchmark fork
	 * does this before it measures, whatever its variant, so that all forks have run the
	 * same code: when only the variants with rules ran the registry's add path, the JIT
	 * compiled the JDK collections H2 shares with it differently, and idle measured as
	 * much faster than 1,000 rules as it does than idle after the same history
	 * (docs/benchmarks.md, "The JIT's history, not the rules").
	 * @param registry the registry, left with the rules it had
	 * @param count how many rules come and go
	 */
	static void addAndRemoveRules(FaultRegistry registry, int count) {
		for (FaultRule rule : addNonMatchingRules(registry, count)) {
			registry.remove(rule.getId());
		}
	}

}
