package dev.dbchaos.benchmarks.recovery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.core.env.Environment;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * Measures how long the demo service takes to accept a write again once its database is
 * back: from {@code ManagedPostgres.start()} returning after a real {@code stop()}, and
 * from {@code FaultRegistry.remove} returning for an injected {@code outage} rule, to the
 * first {@code POST /api/orders} answered 201, with 1 and with 8 concurrent clients.
 * Prints a Markdown report with the theoretical bound and a verdict per target. Run with
 * {@code java -cp benchmarks.jar dev.dbchaos.benchmarks.recovery.Recovery [trials] [output.md]
 * [--hold-ms=4000]}.
 * <p>
 * A trial: with the service healthy (breaker closed, pool full and idle), the outage
 * starts; when {@code stop()} has returned the clients start, each sending the same order
 * (one {@code Idempotency-Key} per client) again {@value #CLIENT_PAUSE_MILLIS} ms after
 * every answer other than 201; after the hold the database is restored. Each injected
 * trial replays the timeline of the real trial before it: the rule is added when
 * {@code stop()} was called, the clients start as long after as {@code stop()} took, and
 * the rule is removed as long after as {@code start()} returned, so that the pool's
 * back-off and the breaker are at the same point of their cycles when either outage ends.
 */
public final class Recovery {

	/**
	 * The pause a client makes after an answer other than 201 before it sends the order
	 * again.
	 */
	static final long CLIENT_PAUSE_MILLIS = 10;

	/**
	 * The longest HikariCP 6.3's connection creator sleeps between two attempts to open a
	 * connection: {@code HikariPool.PoolEntryCreator.call()} starts at 10 ms and doubles
	 * after every failed attempt,
	 * {@code backoffMs = Math.min(SECONDS.toMillis(5), backoffMs * 2)}. A constant of
	 * HikariCP, not a setting.
	 */
	static final Duration HIKARI_BACKOFF_CAP = Duration.ofSeconds(5);

	/**
	 * How far above the bound a recovery may be: requests, scheduling and a loaded
	 * machine.
	 */
	static final Duration BOUND_MARGIN = Duration.ofMillis(500);

	/**
	 * How far the injected figures may be from the real ones, relatively.
	 */
	static final double TOLERANCE = 0.10;

	private static final Duration GIVE_UP = Duration.ofSeconds(60);

	private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(60);

	private final ManagedPostgres postgres;

	private final DemoService demo;

	private final Duration hold;

	Recovery(ManagedPostgres postgres, DemoService demo, Duration hold) {
		this.postgres = postgres;
		this.demo = demo;
		this.hold = hold;
	}

	/**
	 * Run the measurement and write its report.
	 * @param args the number of trials per outage and client count (20), the report file
	 * ({@code recovery.md}) and {@code --hold-ms=} (4000), how long the clients fail
	 * before the database is restored
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		List<String> positional = new ArrayList<>();
		Duration hold = Duration.ofSeconds(4);
		for (String arg : args) {
			if (arg.startsWith("--hold-ms=")) {
				hold = Duration.ofMillis(Long.parseLong(arg.substring("--hold-ms=".length())));
			}
			else {
				positional.add(arg);
			}
		}
		int trials = (positional.size() > 0) ? Integer.parseInt(positional.get(0)) : 20;
		Path out = Path.of((positional.size() > 1) ? positional.get(1) : "recovery.md");
		boolean met;
		try (ManagedPostgres postgres = ManagedPostgres.create()) {
			postgres.start();
			try (DemoService demo = DemoService.start(postgres)) {
				Recovery recovery = new Recovery(postgres, demo, hold);
				List<Trial> results = recovery.run(trials, 1, 8);
				String report = recovery.report(results, true);
				System.out.println(report);
				Files.writeString(out, report);
				met = recovery.targetsMet(results);
			}
		}
		// Exit explicitly: the demo's and the server's housekeeping threads must not keep
		// the JVM.
		System.exit(met ? 0 : 1);
	}

	/**
	 * Run trials, a real restart then its injected replay, for each client count.
	 * @param trials trials per outage and client count
	 * @param clientCounts the client counts
	 * @return the trials in the order they ran
	 */
	List<Trial> run(int trials, int... clientCounts) {
		warmUp();
		List<Trial> results = new ArrayList<>();
		for (int clients : clientCounts) {
			for (int i = 0; i < trials; i++) {
				Trial real = real(clients);
				log(real);
				results.add(real);
				Trial injected = injected(clients, real.stopping(), real.downFor());
				log(injected);
				results.add(injected);
			}
		}
		return results;
	}

	private void warmUp() {
		this.demo.awaitHealthy(HEAL_TIMEOUT);
		for (int i = 0; i < 50; i++) {
			this.demo.placeOrder("warm-up-" + UUID.randomUUID());
		}
	}

	private Trial real(int clients) {
		this.demo.awaitHealthy(HEAL_TIMEOUT);
		long called = System.nanoTime();
		this.postgres.stop();
		long down = System.nanoTime();
		Clients running = new Clients(this.demo, clients);
		parkUntil(down + this.hold.toNanos());
		this.postgres.start();
		long restored = System.nanoTime();
		return running.finish(Outage.REAL, called, down, restored, breakerState(), this.demo);
	}

	private Trial injected(int clients, Duration stopping, Duration downFor) {
		this.demo.awaitHealthy(HEAL_TIMEOUT);
		FaultRegistry registry = this.demo.faultRegistry();
		long called = System.nanoTime();
		FaultRule rule = registry.add(FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofMinutes(10)).build());
		parkUntil(called + stopping.toNanos());
		long down = System.nanoTime();
		Clients running = new Clients(this.demo, clients);
		parkUntil(called + downFor.toNanos());
		registry.remove(rule.getId());
		long restored = System.nanoTime();
		return running.finish(Outage.INJECTED, called, down, restored, breakerState(), this.demo);
	}

	private String breakerState() {
		return this.demo.circuitBreaker().getState().name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Wait for a fixed instant: the outage's length is what is being set here, not a
	 * guess at how long something takes.
	 * @param deadline the instant to wait for, as {@link System#nanoTime()}
	 */
	private static void parkUntil(long deadline) {
		long remaining;
		while ((remaining = deadline - System.nanoTime()) > 0) {
			LockSupport.parkNanos(remaining);
		}
	}

	private static void log(Trial trial) {
		System.err.printf(Locale.ROOT,
				"%-16s clients %d: down %5.0f ms, breaker %s, half-open %s, pool %s, first %s, all %s, %d requests%n",
				trial.outage().description(), trial.clients(), millis(trial.downFor()), trial.breakerAtRestore(),
				seconds(trial.halfOpen()), seconds(trial.reconnected()), seconds(trial.first()), seconds(trial.all()),
				trial.attempts());
	}

	/**
	 * The longest a recovery can take after the database is back, from the demo's
	 * settings: HikariCP's creator may have just gone to sleep for its longest back-off,
	 * so its next attempt, and the pool's first connection, comes up to
	 * {@link #HIKARI_BACKOFF_CAP} late; until then a call may still fail (waiting out the
	 * connection timeout, or slow) and open the circuit breaker, which then refuses every
	 * call for its open-state wait before it lets trial calls through; a write whose
	 * connection turns out dead is retried after the retry's back-offs; and the client
	 * pauses once before sending the request that succeeds.
	 * @return the bound and its parts
	 */
	Bound bound() {
		Environment environment = this.demo.environment();
		CircuitBreaker breaker = this.demo.circuitBreaker();
		Duration breakerWait = Duration
			.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
		String retry = "resilience4j.retry.instances.database.";
		int attempts = environment.getProperty(retry + "max-attempts", Integer.class, 3);
		Duration wait = environment.getProperty(retry + "wait-duration", Duration.class, Duration.ofMillis(500));
		boolean exponential = environment.getProperty(retry + "enable-exponential-backoff", Boolean.class, false);
		double multiplier = exponential
				? environment.getProperty(retry + "exponential-backoff-multiplier", Double.class, 1.5) : 1.0;
		long retryMillis = 0;
		for (int i = 0; i < attempts - 1; i++) {
			retryMillis += Math.round(wait.toMillis() * Math.pow(multiplier, i));
		}
		return new Bound(HIKARI_BACKOFF_CAP, breakerWait, Duration.ofMillis(retryMillis),
				Duration.ofMillis(CLIENT_PAUSE_MILLIS));
	}

	/**
	 * Return whether the trials met both targets.
	 * @param trials the trials
	 * @return whether every trial recovered within the bound plus the margin and the
	 * injected medians are within the tolerance of the real ones
	 */
	boolean targetsMet(List<Trial> trials) {
		return withinBound(trials) && comparable(trials);
	}

	private boolean withinBound(List<Trial> trials) {
		Duration limit = bound().total().plus(BOUND_MARGIN);
		return trials.stream().allMatch((trial) -> trial.recovered() && trial.first().compareTo(limit) <= 0);
	}

	private boolean comparable(List<Trial> trials) {
		return trials.stream().mapToInt(Trial::clients).distinct().allMatch((clients) -> {
			double ratio = ratio(trials, clients, Trial::first, Recovery::median);
			return Math.abs(ratio - 1.0) <= TOLERANCE;
		});
	}

	/**
	 * Render the trials as Markdown: figures per outage and client count, real against
	 * injected, the bound and the verdicts, and with {@code details} every trial.
	 * @param trials the trials
	 * @param details whether to list every trial
	 * @return the report
	 */
	String report(List<Trial> trials, boolean details) {
		Bound bound = bound();
		Duration limit = bound.total().plus(BOUND_MARGIN);
		int[] clientCounts = trials.stream().mapToInt(Trial::clients).distinct().toArray();
		StringBuilder report = new StringBuilder();
		report.append(format("%d trials per row; clients fail for %.1f s before the database is restored and "
				+ "pause %d ms after every answer other than 201. Times in seconds from the end of the outage.%n%n",
				trials.size() / (2 * clientCounts.length), this.hold.toMillis() / 1000.0, CLIENT_PAUSE_MILLIS));
		report.append("| outage | clients | first 201: median | first 201: max | all clients: median "
				+ "| all clients: max | breaker at restore | pool reconnected before first 201 |\n");
		report.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n");
		for (int clients : clientCounts) {
			for (Outage outage : Outage.values()) {
				List<Trial> row = select(trials, outage, clients);
				long reconnectedFirst = row.stream()
					.filter((trial) -> trial.first() != null && trial.reconnected() != null
							&& trial.reconnected().compareTo(trial.first()) <= 0)
					.count();
				report.append(format("| %s | %d | %s | %s | %s | %s | %s | %d of %d |%n", outage.description(), clients,
						seconds(stat(row, Trial::first, Recovery::median)),
						seconds(stat(row, Trial::first, Recovery::max)),
						seconds(stat(row, Trial::all, Recovery::median)), seconds(stat(row, Trial::all, Recovery::max)),
						breakerStates(row), reconnectedFirst, row.size()));
			}
		}
		report.append("\nInjected against real (ratio injected / real; target: median of the first 201 within ±")
			.append(Math.round(TOLERANCE * 100))
			.append("%):\n\n");
		report.append("| clients | first 201: median | first 201: max | all clients: median | all clients: max |\n");
		report.append("| ---: | ---: | ---: | ---: | ---: |\n");
		for (int clients : clientCounts) {
			report.append(format("| %d | %s | %s | %s | %s |%n", clients,
					ratioText(ratio(trials, clients, Trial::first, Recovery::median)),
					ratioText(ratio(trials, clients, Trial::first, Recovery::max)),
					ratioText(ratio(trials, clients, Trial::all, Recovery::median)),
					ratioText(ratio(trials, clients, Trial::all, Recovery::max))));
		}
		report.append(format(
				"%nBound: %s s = HikariCP back-off cap %s + breaker open-state wait %s + retry "
						+ "back-offs %s + client pause %s; target: never above %s s.%n%n",
				seconds(bound.total()), seconds(bound.hikariBackoff()), seconds(bound.breakerWait()),
				seconds(bound.retryBackoff()), seconds(bound.clientPause()), seconds(limit)));
		Duration worstFirst = stat(trials, Trial::first, Recovery::max);
		Duration worstAll = stat(trials, Trial::all, Recovery::max);
		long failed = trials.stream().filter((trial) -> !trial.recovered()).count();
		report.append("| target | result | met |\n| --- | --- | --- |\n");
		report.append(format(
				"| first 201 never above the bound + %.1f s (%s s) | worst first 201 %s s "
						+ "(all clients: %s s)%s | %s |%n",
				BOUND_MARGIN.toMillis() / 1000.0, seconds(limit), seconds(worstFirst), seconds(worstAll),
				(failed > 0) ? format("; %d trials did not recover", failed) : "", yes(withinBound(trials))));
		StringBuilder ratios = new StringBuilder();
		for (int clients : clientCounts) {
			ratios.append((ratios.length() > 0) ? ", " : "")
				.append(format("%d client%s %s", clients, (clients == 1) ? "" : "s",
						ratioText(ratio(trials, clients, Trial::first, Recovery::median))));
		}
		report.append(format("| injected within ±%d%% of real (median first 201) | %s | %s |%n",
				Math.round(TOLERANCE * 100), ratios, yes(comparable(trials))));
		if (details) {
			report.append("\nEvery trial, in the order run (times in seconds; stop: until `stop()` returned, "
					+ "down: until the outage ended):\n\n");
			report.append("| # | outage | clients | stop | down | breaker at restore | breaker half-open "
					+ "| pool's first new connection | first 201 | all clients | requests |\n");
			report.append("| ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
			for (int i = 0; i < trials.size(); i++) {
				Trial trial = trials.get(i);
				report.append(format("| %d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d |%n", i + 1,
						trial.outage().description(), trial.clients(), seconds(trial.stopping()),
						seconds(trial.downFor()), trial.breakerAtRestore(), seconds(trial.halfOpen()),
						seconds(trial.reconnected()),
						seconds(trial.first()) + ((trial.early() > 0) ? format(" (%d early)", trial.early()) : ""),
						seconds(trial.all()), trial.attempts()));
			}
		}
		return report.toString();
	}

	private static List<Trial> select(List<Trial> trials, Outage outage, int clients) {
		return trials.stream().filter((trial) -> trial.outage() == outage && trial.clients() == clients).toList();
	}

	private static String breakerStates(List<Trial> trials) {
		StringBuilder states = new StringBuilder();
		for (String state : new String[] { "open", "half-open", "closed" }) {
			long count = trials.stream().filter((trial) -> trial.breakerAtRestore().equals(state)).count();
			if (count > 0) {
				states.append((states.length() > 0) ? ", " : "").append(state).append(' ').append(count);
			}
		}
		return states.toString();
	}

	private static double ratio(List<Trial> trials, int clients, Function<Trial, Duration> measure,
			Function<long[], Long> statistic) {
		Duration real = stat(select(trials, Outage.REAL, clients), measure, statistic);
		Duration injected = stat(select(trials, Outage.INJECTED, clients), measure, statistic);
		if (real == null || injected == null || real.isZero()) {
			return Double.NaN;
		}
		return (double) injected.toNanos() / real.toNanos();
	}

	/**
	 * A statistic of one measure over trials, or {@code null} if some trial has no value:
	 * a trial that never recovered has no place in a median.
	 * @param trials the trials to take the statistic over
	 * @param measure the duration to read from each trial
	 * @param statistic the statistic to apply to the sorted durations, in nanoseconds
	 * @return the statistic, or {@code null} if there are no trials or one lacks the
	 * measure
	 */
	private static Duration stat(List<Trial> trials, Function<Trial, Duration> measure,
			Function<long[], Long> statistic) {
		if (trials.isEmpty() || trials.stream().map(measure).anyMatch(Objects::isNull)) {
			return null;
		}
		long[] nanos = trials.stream().map(measure).mapToLong(Duration::toNanos).sorted().toArray();
		return Duration.ofNanos(statistic.apply(nanos));
	}

	private static Long median(long[] sorted) {
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private static Long max(long[] sorted) {
		return sorted[sorted.length - 1];
	}

	private static String ratioText(double ratio) {
		return Double.isNaN(ratio) ? "n/a" : format("%.2f× (%+.0f%%)", ratio, (ratio - 1) * 100);
	}

	private static String seconds(Duration duration) {
		return (duration != null) ? format("%.2f", duration.toNanos() / 1e9) : "none";
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1e6;
	}

	private static String yes(boolean met) {
		return met ? "yes" : "**no**";
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

	/**
	 * The parts of the bound on a recovery.
	 *
	 * @param hikariBackoff HikariCP's longest sleep between two connection attempts
	 * @param breakerWait how long the circuit breaker stays open
	 * @param retryBackoff the retry's back-offs between the attempts of one request
	 * @param clientPause the client's pause before its next request
	 */
	record Bound(Duration hikariBackoff, Duration breakerWait, Duration retryBackoff, Duration clientPause) {

		Duration total() {
			return this.hikariBackoff.plus(this.breakerWait).plus(this.retryBackoff).plus(this.clientPause);
		}

	}

	/**
	 * Clients, each on a thread of its own, placing one order each until it is answered
	 * 201.
	 */
	private static final class Clients {

		private final long[] created;

		private final Thread[] threads;

		private final AtomicInteger attempts = new AtomicInteger();

		private final Thread poolWatcher;

		private volatile long reconnected;

		private volatile boolean stopped;

		Clients(DemoService demo, int count) {
			this.created = new long[count];
			this.threads = new Thread[count];
			this.poolWatcher = new Thread(() -> watchPool(demo), "recovery-pool-watcher");
			this.poolWatcher.setDaemon(true);
			this.poolWatcher.start();
			for (int i = 0; i < count; i++) {
				int client = i;
				this.threads[i] = new Thread(() -> placeUntilCreated(demo, client), "recovery-client-" + i);
				this.threads[i].start();
			}
		}

		private void placeUntilCreated(DemoService demo, int client) {
			// One key per client: each retry is the same purchase, as a real client would
			// send it.
			String key = "recovery-" + UUID.randomUUID();
			while (!this.stopped) {
				int status = demo.placeOrder(key);
				long answered = System.nanoTime();
				this.attempts.incrementAndGet();
				if (status == 201) {
					this.created[client] = answered;
					return;
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(CLIENT_PAUSE_MILLIS));
			}
		}

		/**
		 * Note when the pool next grows: it holds on to its connections (dead or not)
		 * until they are borrowed, and cannot open one before the database is back, so
		 * the first growth is its first new connection.
		 * @param demo the demo service whose pool is watched
		 */
		private void watchPool(DemoService demo) {
			int last = demo.poolConnections();
			while (!this.stopped) {
				int now = demo.poolConnections();
				if (now > last) {
					this.reconnected = System.nanoTime();
					return;
				}
				last = now;
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
			}
		}

		/**
		 * Wait until every client got its 201, or gave up, and return the trial.
		 * @param outage the kind of outage the trial ran
		 * @param called when the outage was started, as {@link System#nanoTime()}
		 * @param down when the outage was in place and the clients started, as
		 * {@link System#nanoTime()}
		 * @param restored when the database was restored, as {@link System#nanoTime()}
		 * @param breaker the circuit breaker's state when the database was restored
		 * @param demo the demo service whose breaker transitions are read
		 * @return the trial, with its timings measured from the restore
		 */
		Trial finish(Outage outage, long called, long down, long restored, String breaker, DemoService demo) {
			long deadline = restored + GIVE_UP.toNanos();
			for (Thread thread : this.threads) {
				long remaining = deadline - System.nanoTime();
				try {
					if (remaining > 0) {
						thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			this.stopped = true;
			for (Thread thread : this.threads) {
				try {
					thread.join(TimeUnit.SECONDS.toMillis(40));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.poolWatcher.interrupt();
			long[] times = this.created.clone();
			boolean everyClient = Arrays.stream(times).allMatch((time) -> time != 0);
			long[] got = Arrays.stream(times).filter((time) -> time != 0).sorted().toArray();
			int early = (int) Arrays.stream(got).filter((time) -> time - restored < 0).count();
			Duration first = (got.length > 0) ? Duration.ofNanos(got[0] - restored) : null;
			Duration all = everyClient ? Duration.ofNanos(got[got.length - 1] - restored) : null;
			Long halfOpen = demo.firstTransition(CircuitBreaker.State.HALF_OPEN, restored);
			long pool = this.reconnected;
			return new Trial(outage, this.threads.length, Duration.ofNanos(down - called),
					Duration.ofNanos(restored - called), first, all, breaker,
					("open".equals(breaker) && halfOpen != null) ? Duration.ofNanos(halfOpen - restored) : null,
					(pool != 0) ? Duration.ofNanos(pool - restored) : null, this.attempts.get(), early);
		}

	}

}
