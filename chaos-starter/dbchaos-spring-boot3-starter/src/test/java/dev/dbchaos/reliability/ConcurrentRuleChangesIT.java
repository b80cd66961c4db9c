package dev.dbchaos.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rules added and removed as fast as four threads can while sixteen threads run queries,
 * updates and transactions through HikariCP: the only failures are injected ones, nothing
 * deadlocks, the rule list never shows a removed rule, and once the last rule is gone the
 * next query succeeds.
 */
class ConcurrentRuleChangesIT {

	private static final int MUTATORS = 4;

	private static final int CALLERS = 16;

	private static final Duration RUN = Duration.ofSeconds(10);

	// The error faults use these; the others fail with what the driver and the pool throw
	// for them.
	private static final List<String> ERROR_STATES = List.of("40001", "40P01", "55P03", "57014");

	private static final Set<String> INJECTED_STATES = Set.of("40001", "40P01", "55P03", "57014", "25006", "57P01",
			"08001", "08003", "08006");

	@Test
	void rulesChangingAsFastAsPossibleUnderQueryLoadBreakNothingButWhatTheyInject() {
		ReliabilityContexts.quiet("dev.dbchaos", "com.zaxxer.hikari", "org.springframework.jdbc");
		createTable();
		ReliabilityContexts.hikariWithDbChaos()
			.withPropertyValues("spring.datasource.hikari.maximum-pool-size=" + CALLERS,
					"spring.datasource.hikari.connection-timeout=5000")
			.run((context) -> {
				HikariDataSource hikari = context.getBean(HikariDataSource.class);
				FaultRegistry registry = context.getBean(FaultRegistry.class);
				try (Connection warm = hikari.getConnection()) {
					assertThat(warm.isValid(1)).isTrue();
				}
				long started = System.nanoTime();
				// Every thread stops by itself at the deadline; the test then only waits
				// for them.
				Deadline running = new Deadline(started + RUN.toNanos());
				AtomicLong removed = new AtomicLong();
				// Per mutator, the sequence number of its last rule whose removal has
				// completed.
				// Each removes its rules oldest first, so everything up to it is gone for
				// good.
				AtomicLongArray removedUpTo = new AtomicLongArray(MUTATORS);
				for (int m = 0; m < MUTATORS; m++) {
					removedUpTo.set(m, -1);
				}
				AtomicLong added = new AtomicLong();
				AtomicLong snapshots = new AtomicLong();
				Queue<String> inconsistencies = new ConcurrentLinkedQueue<>();
				Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
				Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
				AtomicLong poolTimeouts = new AtomicLong();
				// What the engine says it injected, to hold the callers' failures to.
				AtomicLong injections = new AtomicLong();
				registry.addListener(new FaultListener() {
					@Override
					public void injected(FaultRule rule, JdbcCall call) {
						injections.incrementAndGet();
					}
				});
				AtomicLong calls = new AtomicLong();
				AtomicLong succeeded = new AtomicLong();

				ExecutorService threads = Executors.newFixedThreadPool(MUTATORS + CALLERS);
				List<Future<?>> all = new ArrayList<>();
				for (int m = 0; m < MUTATORS; m++) {
					int mutator = m;
					all.add(threads.submit(() -> mutate(mutator, registry, running, added, removed, removedUpTo,
							snapshots, inconsistencies)));
				}
				for (int c = 0; c < CALLERS; c++) {
					int caller = c;
					all.add(threads.submit(() -> {
						while (running.get()) {
							calls.incrementAndGet();
							try {
								call(hikari, caller);
								succeeded.incrementAndGet();
							}
							catch (SQLException ex) {
								String state = ReliabilityContexts.sqlState(ex);
								if (ReliabilityContexts.isPoolTimeout(ex)) {
									// Hikari gave up waiting (hangs hold connections):
									// the pool's
									// failure, not an injected one.
									poolTimeouts.incrementAndGet();
								}
								else if (INJECTED_STATES.contains(state)) {
									injected.computeIfAbsent(state, (key) -> new AtomicLong()).incrementAndGet();
								}
								else {
									unexpected.add(ex);
								}
							}
							catch (RuntimeException ex) {
								unexpected.add(ex);
							}
						}
					}));
				}
				// Everything finishes: no caller is stuck on a hang, no mutator on a
				// lock.
				for (Future<?> thread : all) {
					thread.get(30, TimeUnit.SECONDS);
				}
				threads.shutdown();
				assertThat(threads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
				long stillRunning = all.stream().filter((thread) -> !thread.isDone()).count();
				Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

				// The mutators removed their own rules on the way out: the next query
				// succeeds at once.
				assertThat(registry.getRules()).isEmpty();
				try (Connection connection = hikari.getConnection();
						Statement statement = connection.createStatement();
						ResultSet rows = statement.executeQuery("select 1")) {
					assertThat(rows.next()).isTrue();
				}
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(hikari.getHikariPoolMXBean().getActiveConnections()).isZero());

				report(elapsed, calls.get(), succeeded.get(), injected, poolTimeouts.get(), unexpected.size(),
						added.get(), removed.get(), snapshots.get(), inconsistencies.size(), stillRunning);
				assertThat(unexpected)
					.as("failures other than injected ones: %s",
							unexpected.stream().limit(3).map(ReliabilityContexts::chain).toList())
					.isEmpty();
				assertThat(inconsistencies).as("removed rules seen in the rule list").isEmpty();
				assertThat(succeeded.get()).isPositive();
				assertThat(injected).isNotEmpty();
				// Every unit of work is accounted for, and each failure with an injected
				// SQLState
				// had an injection behind it (one failed unit ends at its first failure).
				long failedInjected = injected.values().stream().mapToLong(AtomicLong::get).sum();
				assertThat(succeeded.get() + failedInjected + poolTimeouts.get() + unexpected.size())
					.as("units of work: succeeded + injected + pool timeouts + unexpected")
					.isEqualTo(calls.get());
				assertThat(failedInjected).as("failures with an injected SQLState, within the injections")
					.isLessThanOrEqualTo(injections.get());
			});
	}

	private static void mutate(int mutator, FaultRegistry registry, Deadline running, AtomicLong added,
			AtomicLong removed, AtomicLongArray removedUpTo, AtomicLong snapshots, Queue<String> inconsistencies) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		Deque<Long> mine = new ArrayDeque<>();
		long sequence = 0;
		while (running.get()) {
			long next = sequence++;
			registry.add(randomSpec(random, id(mutator, next)));
			added.incrementAndGet();
			mine.addLast(next);
			// Keep one or two of this thread's rules in force; remove the oldest
			// otherwise.
			if (mine.size() > 1 + random.nextInt(2)) {
				long gone = mine.removeFirst();
				assertThat(registry.remove(id(mutator, gone))).isPresent();
				removedUpTo.set(mutator, gone);
				removed.incrementAndGet();
				checkNoRemovedRuleIsListed(registry, removedUpTo, inconsistencies);
				if (registry.get(id(mutator, gone)).isPresent()) {
					inconsistencies.add(id(mutator, gone));
				}
				snapshots.incrementAndGet();
			}
		}
		for (long left : mine) {
			registry.remove(id(mutator, left));
			removedUpTo.set(mutator, left);
			removed.incrementAndGet();
		}
	}

	/**
	 * A read of the rule list that starts after a removal has completed must not show the
	 * removed rule, whichever thread removed it.
	 */
	private static void checkNoRemovedRuleIsListed(FaultRegistry registry, AtomicLongArray removedUpTo,
			Queue<String> inconsistencies) {
		long[] goneBeforeRead = new long[MUTATORS];
		for (int m = 0; m < MUTATORS; m++) {
			goneBeforeRead[m] = removedUpTo.get(m);
		}
		for (FaultRule rule : registry.getRules()) {
			String[] parts = rule.getId().substring(1).split("-");
			if (Long.parseLong(parts[1]) <= goneBeforeRead[Integer.parseInt(parts[0])]) {
				inconsistencies.add(rule.getId());
			}
		}
	}

	private static String id(int mutator, long sequence) {
		return "m" + mutator + "-" + sequence;
	}

	private static FaultSpec randomSpec(ThreadLocalRandom random, String id) {
		int pick = random.nextInt(100);
		// Mostly faults that fail single calls; outages and hangs less often, since each
		// outage
		// costs the pool a reconnect and each hang holds its calls until the rule goes.
		FaultType type = (pick < 40) ? FaultType.ERROR : (pick < 60) ? FaultType.READ_ONLY
				: (pick < 80) ? FaultType.LATENCY : (pick < 90) ? FaultType.HANG : FaultType.OUTAGE;
		FaultSpec.Builder spec = FaultSpec.builder(type)
			.id(id)
			.probability((type == FaultType.OUTAGE) ? 0.01 : 0.01 + random.nextDouble() * 0.09)
			.duration(Duration.ofSeconds(30));
		if (type == FaultType.ERROR) {
			spec.sqlState(ERROR_STATES.get(random.nextInt(ERROR_STATES.size())));
		}
		if (type == FaultType.LATENCY) {
			spec.delay(Duration.ofMillis(1 + random.nextInt(5)));
		}
		return spec.build();
	}

	/**
	 * A query, an update, or a two-statement transaction, on this caller's own row.
	 */
	private static void call(HikariDataSource hikari, int caller) throws SQLException {
		try (Connection connection = hikari.getConnection()) {
			switch (ThreadLocalRandom.current().nextInt(3)) {
				case 0 -> {
					try (Statement statement = connection.createStatement();
							ResultSet rows = statement.executeQuery("select 1")) {
						rows.next();
					}
				}
				case 1 -> update(connection, caller);
				default -> {
					connection.setAutoCommit(false);
					try {
						update(connection, caller);
						update(connection, caller);
						connection.commit();
					}
					catch (SQLException ex) {
						try {
							connection.rollback();
						}
						catch (SQLException rollback) {
							ex.addSuppressed(rollback);
						}
						throw ex;
					}
				}
			}
		}
	}

	private static void update(Connection connection, int caller) throws SQLException {
		try (PreparedStatement update = connection
			.prepareStatement("update reliability_counters set n = n + 1 where id = ?")) {
			update.setInt(1, caller);
			update.executeUpdate();
		}
	}

	private static void createTable() {
		ManagedPostgres postgres = ManagedPostgres.shared();
		try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
				postgres.password()); Statement statement = connection.createStatement()) {
			statement
				.execute("create table if not exists reliability_counters (id int primary key, n bigint not null)");
			statement.execute("insert into reliability_counters select i, 0 from generate_series(0, " + (CALLERS - 1)
					+ ") i on conflict do nothing");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void report(Duration elapsed, long calls, long succeeded, Map<String, AtomicLong> injected,
			long poolTimeouts, int unexpected, long added, long removed, long snapshots, int inconsistencies,
			long stillRunning) {
		long failed = injected.values().stream().mapToLong(AtomicLong::get).sum();
		String body = MUTATORS + " threads add and remove rules of all five types (random probability, the error "
				+ "faults with random SQLStates) as fast as they can, keeping one or two each in force, while "
				+ CALLERS + " threads run `select 1`, single updates and two-update transactions through HikariCP "
				+ "(pool of " + CALLERS + ", dbchaos beneath it, real PostgreSQL). After every removal the mutator "
				+ "reads the rule list and looks the rule up: a removed rule must never be seen again. The mutators "
				+ "never pause, so on a small machine they take most of the CPU and the callers' figures are low: "
				+ "this is a test of correctness under contention, not of throughput.\n\n"
				+ "| figure | value |\n|---|---:|\n"
				+ ReliabilityReport.row("threads", MUTATORS + " mutators + " + CALLERS + " callers")
				+ ReliabilityReport.row("duration", ReliabilityReport.seconds(elapsed))
				+ ReliabilityReport.row("rules added / removed", String.format("%,d / %,d", added, removed))
				+ ReliabilityReport.row("rule-list reads checked after a removal", String.format("%,d", snapshots))
				+ ReliabilityReport.row("removed rules seen again", inconsistencies)
				+ ReliabilityReport.row("JDBC units of work (query, update or transaction)",
						String.format("%,d", calls))
				+ ReliabilityReport.row("succeeded", String.format("%,d", succeeded))
				+ ReliabilityReport.row("failed with an injected SQLState", String.format("%,d", failed))
				+ ReliabilityReport.row("failed waiting for a pooled connection (HikariCP's timeout)",
						String.format("%,d", poolTimeouts))
				+ ReliabilityReport.row("failed otherwise", unexpected)
				+ ReliabilityReport.row("threads still running afterwards", stillRunning)
				+ "\nInjected failures by SQLState: " + ReliabilityContexts.counts(injected) + ".\n\n"
				+ "After the last removal, the next query succeeded at once and HikariCP's active connections "
				+ "returned to 0.\n";
		ReliabilityReport.write("concurrency", "Rule changes under load", ConcurrentRuleChangesIT.class, body);
	}

	private record Deadline(long nanos) {

		boolean get() {
			return System.nanoTime() < this.nanos;
		}

	}

}
