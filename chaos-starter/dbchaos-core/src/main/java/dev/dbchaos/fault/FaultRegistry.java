package dev.dbchaos.fault;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.Registration;

/**
 * The fault rules in force, and the decision of which of them fire for a JDBC call. This is the
 * runtime state of dbchaos; every data source proxy of an application shares one registry.
 * <p>
 * Reads are lock-free: the rules are held in an array replaced on every change, so a call with
 * no rule active costs one volatile read ({@link #isIdle()}) and a change is in force on the very
 * next call. Rules end by themselves when their duration elapses or their count is used up.
 * <p>
 * {@link FaultListener Listeners} are told of every change and injection; one that throws is
 * logged (logger {@code dev.dbchaos}) and otherwise ignored, so that it can never change the
 * outcome of a JDBC call or of a change to the rules.
 *
 * @author dbchaos
 */
public class FaultRegistry implements AutoCloseable {

	private static final FaultRule[] NONE = {};

	private static final Logger logger = System.getLogger("dev.dbchaos");

	private final Duration defaultDuration;

	private final Duration maxDuration;

	private final Clock clock;

	private final Random random;

	private final List<FaultListener> listeners = new CopyOnWriteArrayList<>();

	// One entry per registration, so that a name stays listed while any data source has it.
	private final List<String> dataSources = new CopyOnWriteArrayList<>();

	private final ScheduledExecutorService expiry;

	private volatile FaultRule[] rules = NONE;

	private volatile boolean closed;

	/**
	 * Create a registry with the system clock and an unseeded random source.
	 * @param defaultDuration how long a rule without a duration stays active
	 * @param maxDuration the longest duration a rule may ask for
	 */
	public FaultRegistry(Duration defaultDuration, Duration maxDuration) {
		this(defaultDuration, maxDuration, Clock.systemUTC(), new Random());
	}

	/**
	 * Create a registry.
	 * @param defaultDuration how long a rule without a duration stays active
	 * @param maxDuration the longest duration a rule may ask for
	 * @param clock the clock rules expire by
	 * @param random the source of the probability rolls; seed it to replay a chaos run
	 */
	public FaultRegistry(Duration defaultDuration, Duration maxDuration, Clock clock, Random random) {
		if (defaultDuration.compareTo(maxDuration) > 0) {
			throw new IllegalArgumentException(
					"defaultDuration " + defaultDuration + " must not exceed maxDuration " + maxDuration);
		}
		this.defaultDuration = defaultDuration;
		this.maxDuration = maxDuration;
		this.clock = clock;
		this.random = random;
		this.expiry = createExpiryScheduler();
	}

	private static ScheduledExecutorService createExpiryScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "dbchaos-expiry");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	/**
	 * Register a listener for rule changes and injections, until the returned registration is
	 * closed. A listener that throws is logged and otherwise ignored.
	 * @param listener the listener
	 * @return the registration, which removes the listener when closed
	 */
	public Registration addListener(FaultListener listener) {
		this.listeners.add(listener);
		return Registration.of(() -> this.listeners.remove(listener));
	}

	/**
	 * Record that a data source takes its faults from this registry, until the returned
	 * registration is closed.
	 * @param name the data source's name, as rules filter by it
	 * @return the registration, which removes the name when closed (unless another data source
	 * of that name is still registered)
	 */
	public Registration registerDataSource(String name) {
		this.dataSources.add(name);
		return Registration.of(() -> this.dataSources.remove(name));
	}

	/**
	 * Return the names of the data sources that take their faults from this registry.
	 * @return the names, each once, in the order they were registered
	 */
	public List<String> getDataSources() {
		return List.copyOf(new LinkedHashSet<>(this.dataSources));
	}

	/**
	 * Return how long a rule without a duration stays active.
	 * @return the default duration
	 */
	public Duration getDefaultDuration() {
		return this.defaultDuration;
	}

	/**
	 * Return the longest duration a rule may ask for.
	 * @return the maximum duration
	 */
	public Duration getMaxDuration() {
		return this.maxDuration;
	}

	/**
	 * Activate a rule. It is in force for every JDBC call that starts after this method returns.
	 * @param spec what to inject
	 * @return the active rule
	 * @throws InvalidFaultException if the duration exceeds the maximum or the id is taken
	 */
	public FaultRule add(FaultSpec spec) {
		Duration duration = (spec.getDuration() != null) ? spec.getDuration() : this.defaultDuration;
		if (duration.compareTo(this.maxDuration) > 0) {
			throw new InvalidFaultException("duration",
					"must not exceed the maximum duration of " + this.maxDuration + ", was " + duration);
		}
		// A call is never held back longer than a rule may live; this also keeps delays within
		// the nanoseconds a wait and the endpoint's answer express them in.
		atMostMaxDuration("delay", spec.getDelay());
		atMostMaxDuration("jitter", spec.getJitter());
		FaultRule rule;
		synchronized (this) {
			if (this.closed) {
				throw new IllegalStateException("The fault registry has been shut down");
			}
			if (spec.getId() != null && find(spec.getId()) != null) {
				throw new InvalidFaultException("id", "'" + spec.getId() + "' is already in use by an active rule");
			}
			Instant now = this.clock.instant();
			rule = new FaultRule(newId(spec), spec, now, now.plus(duration));
			FaultRule[] updated = Arrays.copyOf(this.rules, this.rules.length + 1);
			updated[updated.length - 1] = rule;
			this.rules = updated;
		}
		this.expiry.schedule(this::expireDue, duration.toNanos(), TimeUnit.NANOSECONDS);
		notifyListeners("added", (listener) -> listener.added(rule));
		return rule;
	}

	private void atMostMaxDuration(String field, Duration value) {
		if (value != null && value.compareTo(this.maxDuration) > 0) {
			throw new InvalidFaultException(field,
					"must not exceed the maximum duration of " + this.maxDuration + ", was " + value);
		}
	}

	private String newId(FaultSpec spec) {
		if (spec.getId() != null) {
			return spec.getId();
		}
		String id;
		do {
			id = UUID.randomUUID().toString().substring(0, 8);
		}
		while (find(id) != null);
		return id;
	}

	/**
	 * Return the active rule with the given id.
	 * @param id the rule id
	 * @return the rule, if it is active
	 */
	public Optional<FaultRule> get(String id) {
		return Optional.ofNullable(find(id));
	}

	/**
	 * Return the active rules, oldest first.
	 * @return the rules
	 */
	public List<FaultRule> getRules() {
		return Collections.unmodifiableList(Arrays.asList(this.rules));
	}

	/**
	 * Return whether no rule is active. The fast path of every JDBC call.
	 * @return whether no rule is active
	 */
	public boolean isIdle() {
		return this.rules.length == 0;
	}

	/**
	 * End a rule.
	 * @param id the rule id
	 * @return the removed rule, empty if no active rule has that id
	 */
	public Optional<FaultRule> remove(String id) {
		FaultRule rule = find(id);
		return (rule != null && end(rule, RemovalReason.REMOVED)) ? Optional.of(rule) : Optional.empty();
	}

	/**
	 * End every rule.
	 * @return the removed rules
	 */
	public List<FaultRule> clear() {
		return endAll(RemovalReason.REMOVED);
	}

	/**
	 * End every rule limited to the given scope, leaving the others alone.
	 * @param scope the scope
	 * @return the removed rules
	 */
	public List<FaultRule> clearScope(String scope) {
		List<FaultRule> ended = new ArrayList<>();
		for (FaultRule rule : this.rules) {
			if (scope.equals(rule.getSpec().getScope()) && end(rule, RemovalReason.REMOVED)) {
				ended.add(rule);
			}
		}
		return ended;
	}

	/**
	 * End the rules whose duration has elapsed. Runs by itself when a rule's time is up; call it
	 * directly when driving the registry with a test clock.
	 * @return the expired rules
	 */
	public List<FaultRule> expireDue() {
		Instant now = this.clock.instant();
		List<FaultRule> expired = new ArrayList<>();
		for (FaultRule rule : this.rules) {
			if (rule.isExpired(now) && end(rule, RemovalReason.EXPIRED)) {
				expired.add(rule);
			}
		}
		return expired;
	}

	/**
	 * Decide which rules fire for a call: those whose filters match, whose probability roll
	 * succeeds and whose count is not used up, in the order they were added. Each is counted as
	 * an injection.
	 * @param call the JDBC call about to be made
	 * @return the rules to apply, empty when the call should go through untouched
	 */
	public List<FaultRule> fire(JdbcCall call) {
		return fire(call, DbChaosScope.current(), true, true);
	}

	/**
	 * Decide which rules fire for a rollback. A server that can be reached always accepts a
	 * rollback, so only faults of the connection (outage, hang) and latency apply, never
	 * errors: an injected error there would also make a pool hand the connection on with the
	 * transaction still open.
	 * @param call the rollback about to be made
	 * @return the rules to apply, empty when the call should go through untouched
	 */
	public List<FaultRule> fireForRollback(JdbcCall call) {
		return fire(call, DbChaosScope.current(), true, false);
	}

	/**
	 * Decide which rules fire for a call a connection pool makes on its own behalf, such as
	 * validating a connection before lending it. Only unscoped rules apply: the pool validates
	 * on whichever thread borrows, and a scoped rule must not break connections the pool is
	 * about to lend to other scopes.
	 * @param call the JDBC call about to be made
	 * @return the rules to apply, empty when the call should go through untouched
	 */
	public List<FaultRule> fireForPool(JdbcCall call) {
		return fire(call, null, false, true);
	}

	private List<FaultRule> fire(JdbcCall call, String scope, boolean scopedRules, boolean errors) {
		FaultRule[] active = this.rules;
		if (active.length == 0) {
			return Collections.emptyList();
		}
		long now = this.clock.millis();
		List<FaultRule> fired = null;
		for (FaultRule rule : active) {
			if (rule.isExpired(now)) {
				end(rule, RemovalReason.EXPIRED);
			}
			else if (!rule.hasEnded() && (scopedRules || rule.getSpec().getScope() == null)
					&& (errors || !rule.getType().isError()) && matches(rule, call, scope) && roll(rule.getSpec())
					&& rule.claim()) {
				rule.recordInjection();
				notifyListeners("injected", (listener) -> listener.injected(rule, call));
				if (rule.isUsedUp()) {
					end(rule, RemovalReason.USED_UP);
				}
				if (fired == null) {
					fired = new ArrayList<>(2);
				}
				fired.add(rule);
			}
		}
		return (fired != null) ? fired : Collections.emptyList();
	}

	/**
	 * Return how long a latency rule holds a call back this time: its delay plus a uniform
	 * random part of its jitter, drawn from the registry's (seedable) random source.
	 * @param rule the rule
	 * @return the delay
	 */
	public Duration delayOf(FaultRule rule) {
		Duration delay = rule.getSpec().getDelay();
		if (delay == null) {
			return Duration.ZERO;
		}
		Duration jitter = rule.getSpec().getJitter();
		if (jitter == null || jitter.isZero()) {
			return delay;
		}
		return delay.plusNanos((long) (this.random.nextDouble() * jitter.toNanos()));
	}

	/**
	 * Record that a call was held back by a latency or hang rule.
	 * @param rule the rule
	 * @param call the call
	 * @param delay how long it was held back
	 */
	public void recordDelay(FaultRule rule, JdbcCall call, Duration delay) {
		notifyListeners("delayed", (listener) -> listener.delayed(rule, call, delay));
	}

	/**
	 * Tell every listener, each on its own: one that throws is logged and the others are still
	 * told, and the caller (a JDBC call, a change to the rules) goes on as without it.
	 */
	private void notifyListeners(String event, Consumer<FaultListener> notification) {
		for (FaultListener listener : this.listeners) {
			try {
				notification.accept(listener);
			}
			catch (VirtualMachineError ex) {
				throw ex;
			}
			catch (Throwable ex) {
				logger.log(Level.WARNING, "dbchaos fault listener " + listener + " failed on '" + event
						+ "'; ignored, the call goes on as without it", ex);
			}
		}
	}

	private static boolean matches(FaultRule rule, JdbcCall call, String scope) {
		FaultSpec spec = rule.getSpec();
		if (spec.getScope() != null && !spec.getScope().equals(scope)) {
			return false;
		}
		if (spec.getDataSource() != null && !spec.getDataSource().equals(call.dataSource())) {
			return false;
		}
		if (!spec.getOperation().matches(call.operation())) {
			return false;
		}
		if (spec.getType() == FaultType.READ_ONLY && !call.write()) {
			return false;
		}
		return spec.getSql() == null || (call.sql() != null && rule.matchesSql(call.sql()));
	}

	private boolean roll(FaultSpec spec) {
		double probability = spec.getProbability();
		return probability >= 1.0 || (probability > 0.0 && this.random.nextDouble() < probability);
	}

	private FaultRule find(String id) {
		for (FaultRule rule : this.rules) {
			if (rule.getId().equals(id)) {
				return rule;
			}
		}
		return null;
	}

	private boolean end(FaultRule rule, RemovalReason reason) {
		synchronized (this) {
			FaultRule[] current = this.rules;
			int index = Arrays.asList(current).indexOf(rule);
			if (index < 0) {
				return false;
			}
			FaultRule[] updated = new FaultRule[current.length - 1];
			System.arraycopy(current, 0, updated, 0, index);
			System.arraycopy(current, index + 1, updated, index, current.length - index - 1);
			this.rules = (updated.length > 0) ? updated : NONE;
		}
		rule.end();
		notifyListeners("removed", (listener) -> listener.removed(rule, reason));
		return true;
	}

	private List<FaultRule> endAll(RemovalReason reason) {
		List<FaultRule> ended = new ArrayList<>();
		for (FaultRule rule : this.rules) {
			if (end(rule, reason)) {
				ended.add(rule);
			}
		}
		return ended;
	}

	/**
	 * End every rule, releasing calls that hang on them, and stop the expiry thread. Later
	 * {@link #add(FaultSpec) adds} fail.
	 */
	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
		}
		endAll(RemovalReason.SHUTDOWN);
		this.expiry.shutdownNow();
	}

}
