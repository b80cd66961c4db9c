package dev.dbchaos.jdbc;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement that none of the active rules can match allocates nothing, however many
 * rules are active: the fault engine's path for it is the idle path plus lookups. Counted
 * in bytes the calling thread allocates, which the JIT does not change (the path has no
 * allocation to remove).
 */
class CallsNoRuleCanMatchTests {

	private static final String SQL = "SELECT ?";

	private static final int CALLS = 10_000;

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1));

	private final FaultInjector injector = new FaultInjector(this.registry, "dataSource",
			JdbcFailures.forUrl(null, null), null);

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void aStatementNoneOfTenRulesCanMatchAllocatesNothing() throws SQLException {
		addRulesThatCannotMatch(10);
		assertThat(bytesPerCall()).isZero();
	}

	@Test
	void aStatementNoneOfAThousandRulesCanMatchAllocatesNothing() throws SQLException {
		addRulesThatCannotMatch(1000);
		assertThat(bytesPerCall()).isZero();
	}

	@Test
	void aStatementOfAScopeWhoseRulesCannotMatchItAllocatesNothing() throws SQLException {
		addRulesThatCannotMatch(1000);
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).scope("mine").sql("no_such_table").build());
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).scope("mine").operation(Operation.COMMIT).build());
		this.registry.add(FaultSpec.builder(FaultType.READ_ONLY).scope("mine").operation(Operation.UPDATE).build());
		try (DbChaosScope.Binding binding = DbChaosScope.bind("mine")) {
			assertThat(bytesPerCall()).isZero();
		}
	}

	/**
	 * Half with a pattern no statement here contains, half in scopes of their own or for
	 * another data source, as the benchmarks' variants add them.
	 */
	private void addRulesThatCannotMatch(int count) {
		for (int i = 0; i < count; i++) {
			FaultSpec.Builder spec = FaultSpec.builder(FaultType.OUTAGE);
			if (i % 2 == 0) {
				spec.sql("no_such_table_" + i + "\\b");
			}
			else if (i % 4 == 1) {
				spec.scope("other-test-" + i);
			}
			else {
				spec.dataSource("other");
			}
			this.registry.add(spec.build());
		}
	}

	private long bytesPerCall() throws SQLException {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean allocations
				&& allocations.isThreadAllocatedMemorySupported() && allocations.isThreadAllocatedMemoryEnabled(),
				"the JVM does not count the bytes a thread allocates");
		com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
		// The first calls work out and remember the statement's call and the patterns'
		// answers.
		run(CALLS);
		long before = allocations.getCurrentThreadAllocatedBytes();
		run(CALLS);
		long allocated = allocations.getCurrentThreadAllocatedBytes() - before;
		// Whole bytes per call: what reading the counter itself allocates is far below
		// one per call.
		return allocated / CALLS;
	}

	private void run(int calls) throws SQLException {
		for (int i = 0; i < calls; i++) {
			// No rule fires and the statement reads, so the connection, which only a
			// fault
			// and a write (does it auto-commit?) would touch, is not
			// needed.
			this.injector.statement(null, SQL, ExecutionKind.QUERY);
		}
	}

}
