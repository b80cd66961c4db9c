package dev.dbchaos.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.actuate.DbChaosMetrics;
import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.RemovalReason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every rule ends by itself when its time is up, on time, while the application keeps the
 * registry busy with JDBC calls; the active-faults gauge then reads 0.
 */
class ExpiryUnderLoadIT {

	private static final int RULES = 1000;

	// Held faults (locks, borrowed connections) are no rules a call matches.
	private static final FaultType[] MATCHING_TYPES = Arrays.stream(FaultType.values())
		.filter((type) -> !type.isHeld())
		.toArray(FaultType[]::new);

	private static final int CALLERS = 2;

	private static final Duration SHORTEST = Duration.ofSeconds(1);

	/** Rules last from {@link #SHORTEST} to this much longer. */
	private static final Duration SPREAD = Duration.ofSeconds(2);

	@Test
	void aThousandRulesWithRandomDurationsAllExpireOnTimeWhileCallsGoOn() {
		ReliabilityContexts.quiet("dev.dbchaos");
		// A stop-the-world pause stops the expiry thread and the callers alike, and on
		// two CPUs
		// a young collection of the garbage earlier tests in this JVM left can take over
		// 100 ms:
		// start from a collected heap so the figures measure dbchaos, not the previous
		// test.
		// How late a rule ends is measured and reported, not asserted: a busy machine
		// decides
		// that (benchmarks measure precision). Asserted is what holds on any machine:
		// every rule
		// ends by itself, never early, exactly once, within the wait below.
		System.gc();
		ReliabilityContexts.hikariWithDbChaos().run((context) -> {
			FaultRegistry registry = context.getBean(FaultRegistry.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			new DbChaosMetrics(registry).bindTo(meters);
			Map<String, Duration> lateness = new ConcurrentHashMap<>();
			Map<RemovalReason, AtomicLong> reasons = new ConcurrentHashMap<>();
			AtomicLong removedTwice = new AtomicLong();
			registry.addListener(new FaultListener() {
				@Override
				public void removed(FaultRule rule, RemovalReason reason) {
					reasons.computeIfAbsent(reason, (key) -> new AtomicLong()).incrementAndGet();
					// The registry's clock is the system UTC clock, so this is the same
					// time line.
					Duration late = Duration.between(rule.getExpiresAt(), Instant.now());
					if (lateness.put(rule.getId(), late) != null) {
						removedTwice.incrementAndGet();
					}
				}
			});

			AtomicBoolean running = new AtomicBoolean(true);
			AtomicLong calls = new AtomicLong();
			ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
			List<Future<?>> load = java.util.stream.IntStream.range(0, CALLERS)
				.<Future<?>>mapToObj((i) -> callers.submit(() -> {
					while (running.get()) {
						// The rules are scoped away from these calls, so the registry's
						// index hands
						// them none: the calls load the registry while the expiry thread
						// ends the rules.
						assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
						calls.incrementAndGet();
					}
				}))
				.toList();

			Random random = new Random(5);
			long gcBefore = gcMillis();
			long started = System.nanoTime();
			for (int i = 0; i < RULES; i++) {
				// At least a second, so that no rule expires while the others are still
				// being added,
				// which would make the count of active rules a race, unless the machine
				// is very busy.
				Duration duration = SHORTEST.plusMillis(random.nextInt((int) SPREAD.toMillis()));
				// Each type once in a while, in scopes no caller is bound to, so the
				// calls keep succeeding.
				FaultType type = MATCHING_TYPES[i % MATCHING_TYPES.length];
				FaultSpec.Builder spec = FaultSpec.builder(type).scope("nobody-" + (i % 7)).duration(duration);
				if (type == FaultType.LATENCY) {
					spec.delay(Duration.ofMillis(5));
				}
				if (type == FaultType.ERROR) {
					spec.sqlState("40001");
				}
				if (type == FaultType.RESULT_RESET) {
					spec.afterRows(100);
				}
				registry.add(spec.build());
			}
			Duration addingTook = Duration.ofNanos(System.nanoTime() - started);
			double active = activeGauge(meters);
			if (Duration.ofNanos(System.nanoTime() - started).compareTo(SHORTEST) < 0) {
				assertThat(active).as("active rules, none of which can have expired yet").isEqualTo(RULES);
			}
			else {
				// A machine so busy that adding took longer than the shortest rule lasts.
				assertThat(active).as("active rules, some of which may have expired").isBetween(1.0, (double) RULES);
			}

			await().atMost(Duration.ofSeconds(10)).until(() -> lateness.size() == RULES);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			long gcDuring = gcMillis() - gcBefore;
			running.set(false);
			for (Future<?> caller : load) {
				caller.get(10, TimeUnit.SECONDS);
			}
			callers.shutdown();

			assertThat(reasons).containsOnlyKeys(RemovalReason.EXPIRED);
			assertThat(removedTwice).hasValue(0);
			assertThat(registry.getRules()).isEmpty();
			double activeAfter = activeGauge(meters);
			assertThat(activeAfter).isZero();
			List<Long> micros = lateness.values().stream().map((late) -> late.toNanos() / 1000).toList();
			long max = micros.stream().mapToLong(Long::longValue).max().orElseThrow();
			long min = micros.stream().mapToLong(Long::longValue).min().orElseThrow();
			report(addingTook, elapsed, calls.get(), gcDuring, activeAfter, min,
					ReliabilityReport.percentile(micros, 50), ReliabilityReport.percentile(micros, 99), max);
			assertThat(min).as("earliest removal relative to expiresAt, µs").isGreaterThanOrEqualTo(0);
		});
	}

	private static long gcMillis() {
		return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
			.sum();
	}

	private static double activeGauge(SimpleMeterRegistry meters) {
		return meters.find("dbchaos.faults.active").gauges().stream().mapToDouble(Gauge::value).sum();
	}

	private static void report(Duration addingTook, Duration elapsed, long calls, long gcDuring, double activeAfter,
			long min, long p50, long p99, long max) {
		String body = String.format("%,d", RULES) + " rules of all five types, durations uniformly random from "
				+ SHORTEST.toSeconds() + " s to " + SHORTEST.plus(SPREAD).toSeconds() + " s (seeded), "
				+ "added at once to the registry of an application (HikariCP beneath which dbchaos sits, real "
				+ "PostgreSQL) while " + CALLERS + " threads keep running `select 1` through the pool. The rules are "
				+ "scoped away from the callers, so every call succeeds and the rule index hands it none of them. Lateness is "
				+ "measured from each rule's `expiresAt` to its `removed(rule, EXPIRED)` event: no rule may end early, and each must end within the test's 10 s wait; how late is "
				+ "measured here, not bounded (it is the machine's scheduling as much as dbchaos's).\n\n"
				+ "| figure | value |\n|---|---:|\n" + ReliabilityReport.row("rules added", RULES)
				+ ReliabilityReport.row("time to add them", ReliabilityReport.millis(addingTook))
				+ ReliabilityReport.row("rules expired (reason `EXPIRED`, each exactly once)", RULES)
				+ ReliabilityReport.row("JDBC calls made meanwhile", String.format("%,d", calls))
				+ ReliabilityReport.row("lateness min", ReliabilityReport.millis(Duration.ofNanos(min * 1000)))
				+ ReliabilityReport.row("lateness p50", ReliabilityReport.millis(Duration.ofNanos(p50 * 1000)))
				+ ReliabilityReport.row("lateness p99", ReliabilityReport.millis(Duration.ofNanos(p99 * 1000)))
				+ ReliabilityReport.row("lateness max", ReliabilityReport.millis(Duration.ofNanos(max * 1000)))
				+ ReliabilityReport.row("`dbchaos.faults.active` after the last expiry", (long) activeAfter)
				+ ReliabilityReport.row("JVM garbage-collection time meanwhile", gcDuring + " ms")
				+ ReliabilityReport.row("wall time", ReliabilityReport.seconds(elapsed));
		ReliabilityReport.write("expiry-under-load", "Expiry under load", ExpiryUnderLoadIT.class, body);
	}

}
