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
 * The fault rules in force, and the decision of which of them fire for a JDBC call. This
 * is the runtime state of dbchaos; every data source proxy of an application shares one
 * registry.
 * <p>
 * Reads are lock-free: the rules are held in an immutable index replaced on every change,
 * so a call with no rule active costs one volatile read ({@link #isIdle()}) and a change
 * is in force on the very next call. The index hands a call only the rules that could
 * match it (unscoped or of the calling thread's scope, for its data source or any, for
 * its operation or any, and of the rules with an {@code sql} pattern those its text
 * matches, each pattern run once per text), so the work of a call does not grow with the
 * number of rules it cannot match. Rules end by themselves when their duration elapses or
 * their count is used up.
 * <p>
 * {@link FaultListener Listeners} are told of every change and injection; one that throws
 * is logged (logger {@code dev.dbchaos}) and otherwise ignored, so that it can never
 * change the outcome of a JDBC call or of a change to the rules.
 *
 * @since 0.1.0
 */
public class FaultRegistry implements AutoCloseable {

	private static final Logger logger = System.getLogger("dev.dbchaos");

	private final Duration defaultDuration;

	private final Duration maxDuration;

	private final Clock clock;

	private final Random random;

	private final List<FaultListener> listeners = new CopyOnWriteArrayList<>();

	// One entry per registration, so that a name stays listed while any data source has
	// it.
	private final List<String> dataSources = new CopyOnWriteArrayList<>();

	private final ScheduledExecutorService expiry;

	private volatile RuleIndex index = RuleIndex.EMPTY;

	private volatile boolean closed;

	// Guarded by this: numbers the rules in the order they are activated, which they fire
	// in.
	private long sequence;

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
	 * Register a listener for rule changes and injections, until the returned
	 * registration is closed. A listener that throws is logged and otherwise ignored.
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
	 * @return the registration, which removes the name when closed (unless another data
	 * source of that name is still registered)
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
	 * Activate a rule. It is in force for every JDBC call that starts after this method
	 * returns.
	 * @param spec what to inject
	 * @return the active rule
	 * @throws InvalidFaultException if the duration exceeds the maximum or the id is
	 * taken
	 */
	public FaultRule add(FaultSpec spec) {
		Duration duration = (spec.getDuration() != null) ? spec.getDuration() : this.defaultDuration;
		if (duration.compareTo(this.maxDuration) > 0) {
			throw new InvalidFaultException("duration",
					"must not exceed the maximum duration of " + this.maxDuration + ", was " + duration);
		}
		// A call is never held back longer than a rule may live; this also keeps delays
		// within
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
			rule = new FaultRule(newId(spec), spec, now, now.plus(duration), ++this.sequence);
			this.index = this.index.with(rule);
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
		return Collections.unmodifiableList(Arrays.asList(this.index.rules()));
	}

	/**
	 * Return whether no rule is active. The fast path of every JDBC call.
	 * @return whether no rule is active
	 */
	public boolean isIdle() {
		return this.index.isEmpty();
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
		for (FaultRule rule : this.index.rules()) {
			if (scope.equals(rule.getSpec().getScope()) && end(rule, RemovalReason.REMOVED)) {
				ended.add(rule);
			}
		}
		return ended;
	}

	/**
	 * End the rules whose duration has elapsed. Runs by itself when a rule's time is up;
	 * call it directly when driving the registry with a test clock.
	 * @return the expired rules
	 */
	public List<FaultRule> expireDue() {
		Instant now = this.clock.instant();
		List<FaultRule> expired = new ArrayList<>();
		for (FaultRule rule : this.index.rules()) {
			if (rule.isExpired(now) && end(rule, RemovalReason.EXPIRED)) {
				expired.add(rule);
			}
		}
		return expired;
	}

	/**
	 * Decide which rules fire for a call: those whose filters match, whose probability
	 * roll succeeds and whose count is not used up, in the order they were added. Each is
	 * counted as an injection.
	 * @param call the JDBC call about to be made
	 * @return the rules to apply, empty when the call should go through untouched
	 */
	public List<FaultRule> fire(JdbcCall call) {
		return fire(call, true, true);
	}

	/**
	 * Decide which rules fire for a rollback. A server that can be reached always accepts
	 * a rollback, so only faults of the connection (outage, hang) and latency apply,
	 * never errors: an injected error there would also make a pool hand the connection on
	 * with the transaction still open.
	 * @param call the rollback about to be made
	 * @return the rules to apply, empty when the call should go through untouched
	 */
	public List<FaultRule> fireForRollback(JdbcCall call) {
		return fire(call, true, false);
	}

	/**
	 * Decide which rules fire for a call a connection pool makes on its own behalf, such
	 * as validating a connection before lending it. Only unscoped rules apply: the pool
	 * validates on whichever thread borrows, and a scoped rule must not break connections
	 * the pool is about to lend to other scopes.
	 * @param call the JDBC call about to be made
	 * @return the rules to apply, empty when the call should go through untouched
	 */
	public List<FaultRule> fireForPool(JdbcCall call) {
		return fire(call, false, true);
	}

	/**
	 * Fire the rules the index offers for the call. A call that none could match returns
	 * without reading the clock or allocating: the rules it does not see are ended by the
	 * expiry sweep, scheduled for their very instant, instead of by whichever call comes
	 * first.
	 * @param call the JDBC call about to be made
	 * @param scopedRules whether rules of the calling thread's scope apply (not for the
	 * pool's own calls)
	 * @param errors whether server errors apply (not for a rollback)
	 * @return the rules that fire, in the order they were activated; empty when none does
	 */
	private List<FaultRule> fire(JdbcCall call, boolean scopedRules, boolean errors) {
		RuleIndex index = this.index;
		if (index.isEmpty()) {
			return Collections.emptyList();
		}
		// Without scoped rules the scope decides nothing, and reading it costs a
		// thread-local.
		String scope = (scopedRules && index.hasScopedRules()) ? DbChaosScope.current() : null;
		String sql = call.sql();
		RuleGroup unscoped = index.unscoped();
		FaultRule[] unscopedWithoutSql = unscoped.withoutSql(call.dataSource(), call.operation());
		FaultRule[] unscopedWithSql = (sql != null) ? unscoped.withSql(sql) : RuleGroup.NONE;
		RuleGroup own = (scope != null) ? index.scoped(scope) : null;
		FaultRule[] ownWithoutSql = RuleGroup.NONE;
		FaultRule[] ownWithSql = RuleGroup.NONE;
		if (own != null) {
			ownWithoutSql = own.withoutSql(call.dataSource(), call.operation());
			ownWithSql = (sql != null) ? own.withSql(sql) : RuleGroup.NONE;
		}
		if (unscopedWithoutSql.length + unscopedWithSql.length + ownWithoutSql.length + ownWithSql.length == 0) {
			return Collections.emptyList();
		}
		long now = this.clock.millis();
		if (index.anyExpiredAt(now)) {
			// Rare: a rule's time is up and the sweep has not ended it yet. Walk every
			// rule, as
			// that ends each expired one on the way and never fires it.
			return fireByScan(index.rules(), call, scope, scopedRules, errors, now);
		}
		return fireInOrder(unscopedWithoutSql, unscopedWithSql, ownWithoutSql, ownWithSql, call, scope, errors);
	}

	/**
	 * Fire from the four lists of candidates, each in the order the rules were activated,
	 * merged into that order: rules fire, draw their probability rolls and tell the
	 * listeners exactly as a walk over every rule would. The lists are disjoint.
	 * @param first the unscoped rules without an {@code sql} pattern for the call's data
	 * source and operation
	 * @param second the unscoped rules whose {@code sql} pattern the call's text matches
	 * @param third the rules of the calling thread's scope without an {@code sql} pattern
	 * for the call's data source and operation
	 * @param fourth the rules of the calling thread's scope whose {@code sql} pattern the
	 * call's text matches
	 * @param call the JDBC call about to be made
	 * @param scope the calling thread's scope, or {@code null}; not checked again, as the
	 * index has already sorted the candidates by scope
	 * @param errors whether server errors apply (not for a rollback)
	 * @return the rules that fire, in the order they were activated; empty when none does
	 */
	private List<FaultRule> fireInOrder(FaultRule[] first, FaultRule[] second, FaultRule[] third, FaultRule[] fourth,
			JdbcCall call, String scope, boolean errors) {
		List<FaultRule> fired = null;
		int i = 0;
		int j = 0;
		int k = 0;
		int l = 0;
		while (true) {
			long a = (i < first.length) ? first[i].sequence() : Long.MAX_VALUE;
			long b = (j < second.length) ? second[j].sequence() : Long.MAX_VALUE;
			long c = (k < third.length) ? third[k].sequence() : Long.MAX_VALUE;
			long d = (l < fourth.length) ? fourth[l].sequence() : Long.MAX_VALUE;
			long next = Math.min(Math.min(a, b), Math.min(c, d));
			if (next == Long.MAX_VALUE) {
				return (fired != null) ? fired : Collections.emptyList();
			}
			FaultRule rule;
			if (next == a) {
				rule = first[i++];
			}
			else if (next == b) {
				rule = second[j++];
			}
			else if (next == c) {
				rule = third[k++];
			}
			else {
				rule = fourth[l++];
			}
			// The index vouches for scope and, where it has one, the sql pattern; the
			// other
			// filters are checked as ever. No rule here has expired (see fire).
			if (!rule.hasEnded() && (errors || !rule.getType().isError()) && matchesBesidesSql(rule.getSpec(), call)
					&& inject(rule, call)) {
				if (fired == null) {
					fired = new ArrayList<>(2);
				}
				fired.add(rule);
			}
		}
	}

	/**
	 * Walk every rule, as the registry did before it had an index: each expired rule is
	 * ended, the others fire if they match.
	 * @param active every active rule, in the order they were activated
	 * @param call the JDBC call about to be made
	 * @param scope the calling thread's scope, or {@code null} when it has none or it
	 * does not matter
	 * @param scopedRules whether rules of the calling thread's scope apply (not for the
	 * pool's own calls)
	 * @param errors whether server errors apply (not for a rollback)
	 * @param now the time the rules expire by, as {@code Clock.millis()}
	 * @return the rules that fire, in the order they were activated; empty when none does
	 */
	private List<FaultRule> fireByScan(FaultRule[] active, JdbcCall call, String scope, boolean scopedRules,
			boolean errors, long now) {
		List<FaultRule> fired = null;
		for (FaultRule rule : active) {
			if (rule.isExpired(now)) {
				end(rule, RemovalReason.EXPIRED);
			}
			else if (!rule.hasEnded() && (scopedRules || rule.getSpec().getScope() == null)
					&& (errors || !rule.getType().isError()) && matches(rule, call, scope) && inject(rule, call)) {
				if (fired == null) {
					fired = new ArrayList<>(2);
				}
				fired.add(rule);
			}
		}
		return (fired != null) ? fired : Collections.emptyList();
	}

	/**
	 * Roll the rule's probability and claim one of its count; if both succeed, record the
	 * injection and end the rule when its count is used up.
	 * @param rule a rule whose filters match the call
	 * @param call the JDBC call, as the listeners are told of it
	 * @return whether the rule fires
	 */
	private boolean inject(FaultRule rule, JdbcCall call) {
		if (!roll(rule.getSpec()) || !rule.claim()) {
			return false;
		}
		rule.recordInjection();
		notifyListeners("injected", (listener) -> listener.injected(rule, call));
		if (rule.isUsedUp()) {
			end(rule, RemovalReason.USED_UP);
		}
		return true;
	}

	/**
	 * Return how long a latency rule holds a call back this time: its delay plus a
	 * uniform random part of its jitter, drawn from the registry's (seedable) random
	 * source.
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
	 * Tell every listener, each on its own: one that throws is logged and the others are
	 * still told, and the caller (a JDBC call, a change to the rules) goes on as without
	 * it.
	 * @param event the event's name, quoted in the warning about a failing listener
	 * @param notification what to tell each listener
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
		if (!matchesBesidesSql(spec, call)) {
			return false;
		}
		return spec.getSql() == null || (call.sql() != null && rule.matchesSql(call.sql()));
	}

	/**
	 * The filters the index does not answer for every candidate: data source and
	 * operation (which it does answer for rules without an sql pattern, and which cost
	 * next to nothing to check again), and whether the call writes.
	 * @param spec the spec of a candidate rule
	 * @param call the JDBC call about to be made
	 * @return whether the spec's data source, operation and (for a read-only fault) write
	 * filters match the call
	 */
	private static boolean matchesBesidesSql(FaultSpec spec, JdbcCall call) {
		if (spec.getDataSource() != null && !spec.getDataSource().equals(call.dataSource())) {
			return false;
		}
		if (!spec.getOperation().matches(call.operation())) {
			return false;
		}
		return spec.getType() != FaultType.READ_ONLY || call.write();
	}

	private boolean roll(FaultSpec spec) {
		double probability = spec.getProbability();
		return probability >= 1.0 || (probability > 0.0 && this.random.nextDouble() < probability);
	}

	private FaultRule find(String id) {
		for (FaultRule rule : this.index.rules()) {
			if (rule.getId().equals(id)) {
				return rule;
			}
		}
		return null;
	}

	private boolean end(FaultRule rule, RemovalReason reason) {
		synchronized (this) {
			RuleIndex current = this.index;
			if (!current.contains(rule)) {
				return false;
			}
			this.index = current.without(rule);
		}
		rule.end();
		notifyListeners("removed", (listener) -> listener.removed(rule, reason));
		return true;
	}

	private List<FaultRule> endAll(RemovalReason reason) {
		List<FaultRule> ended = new ArrayList<>();
		for (FaultRule rule : this.index.rules()) {
			if (end(rule, reason)) {
				ended.add(rule);
			}
		}
		return ended;
	}

	/**
	 * End every rule, releasing calls that hang on them, and stop the expiry thread.
	 * Later {@link #add(FaultSpec) adds} fail.
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
