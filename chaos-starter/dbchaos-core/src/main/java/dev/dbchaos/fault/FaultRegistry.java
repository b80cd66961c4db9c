package dev.dbchaos.fault;

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

import org.jspecify.annotations.Nullable;

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
 * <p>
 * The registry keeps the rules and their ids and durations; deciding which rules fire for
 * a call ({@code RuleMatcher}), ending rules on time ({@code RuleExpiry}) and telling the
 * listeners ({@code FaultEvents}) are pieces of their own inside it.
 *
 * @since 0.1.0
 */
public class FaultRegistry implements AutoCloseable {

	private final Duration defaultDuration;

	private final Duration maxDuration;

	private final Clock clock;

	private final FaultEvents events = new FaultEvents();

	private final RuleMatcher matcher;

	private final RuleExpiry expiry = new RuleExpiry(this::expireDue);

	private final HeldFaults held = new HeldFaults();

	// One entry per registration, so that a name stays listed while any data source has
	// it.
	private final List<String> dataSources = new CopyOnWriteArrayList<>();

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
		this.matcher = new RuleMatcher(clock, random, this.events, this::end);
	}

	/**
	 * Register a listener for rule changes and injections, until the returned
	 * registration is closed. A listener that throws is logged and otherwise ignored.
	 * @param listener the listener
	 * @return the registration, which removes the listener when closed
	 */
	public Registration addListener(FaultListener listener) {
		return this.events.add(listener);
	}

	/**
	 * Register what takes, on one data source, what held faults of one type hold (see
	 * {@link FaultHolder}), until the returned registration is closed. A held fault is
	 * held by every holder of its type for its data source, or for every data source when
	 * it names none, except a lock, which is taken once, through the first holder of its
	 * one data source; with no such holder it is refused.
	 * @param type the held fault type, such as {@link FaultType#LOCK}
	 * @param dataSource the data source's name, as rules filter by it
	 * @param holder the holder
	 * @return the registration, which removes the holder when closed and releases what it
	 * holds
	 * @throws IllegalArgumentException if the type is not a held one
	 */
	public Registration addHolder(FaultType type, String dataSource, FaultHolder holder) {
		if (!type.isHeld()) {
			throw new IllegalArgumentException(type.id() + " faults are not held");
		}
		return this.held.add(type, dataSource, holder);
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
		return add(spec, duration, null);
	}

	/**
	 * Activate a rule that ends at a given instant rather than after its duration: the
	 * same rule on several instances (a fleet fault) keeps its id and ends at the same
	 * moment on each, whenever each heard of it.
	 * @param spec what to inject, usually with an id
	 * @param expiresAt when the rule ends
	 * @return the active rule
	 * @throws InvalidFaultException if the instant has passed or lies further away than
	 * the maximum duration, or the id is taken
	 */
	public FaultRule addUntil(FaultSpec spec, Instant expiresAt) {
		Duration duration = Duration.between(this.clock.instant(), expiresAt);
		if (duration.isNegative() || duration.isZero()) {
			throw new InvalidFaultException("duration", "ended at " + expiresAt + ", before it could be added");
		}
		return add(spec, duration, expiresAt);
	}

	/**
	 * Throw what {@link #add(FaultSpec)} would throw for the rule's lifetime and waits,
	 * without adding it: so that several rules can be checked before any is added.
	 * Whether its id is free is not checked, since that may change before it is added.
	 * @param spec what to inject
	 * @throws InvalidFaultException if the duration, the delay or the jitter exceeds the
	 * maximum duration
	 */
	public void checkLimits(FaultSpec spec) {
		checkLimits(spec, (spec.getDuration() != null) ? spec.getDuration() : this.defaultDuration);
	}

	private void checkLimits(FaultSpec spec, Duration duration) {
		if (duration.compareTo(this.maxDuration) > 0) {
			throw new InvalidFaultException("duration",
					"must not exceed the maximum duration of " + this.maxDuration + ", was " + duration);
		}
		// A call is never held back longer than a rule may live; this also keeps delays
		// within the nanoseconds a wait and the endpoint's answer express them in.
		atMostMaxDuration("delay", spec.getDelay());
		atMostMaxDuration("jitter", spec.getJitter());
	}

	private FaultRule add(FaultSpec spec, Duration duration, @Nullable Instant expiresAt) {
		checkLimits(spec, duration);
		FaultRule rule;
		synchronized (this) {
			checkCanAdd(spec.getId());
			Instant now = this.clock.instant();
			rule = new FaultRule(newId(spec), spec, now, (expiresAt != null) ? expiresAt : now.plus(duration),
					++this.sequence);
			if (!spec.getType().isHeld()) {
				this.index = this.index.with(rule);
			}
		}
		if (spec.getType().isHeld()) {
			activateHeld(rule);
		}
		this.expiry.sweepAfter(duration);
		this.events.added(rule);
		return rule;
	}

	private void checkCanAdd(@Nullable String id) {
		if (this.closed) {
			throw new IllegalStateException("The fault registry has been shut down");
		}
		if (id != null && find(id) != null) {
			throw new InvalidFaultException("id", "'" + id + "' is already in use by an active rule");
		}
	}

	/**
	 * Take what a held rule holds, outside the registry's lock since taking a lock or a
	 * connection may wait on the database, then put the rule in force; if the registry
	 * was shut down or the id taken meanwhile, release it again.
	 * @param rule the held rule, not in force yet
	 */
	private void activateHeld(FaultRule rule) {
		this.held.hold(rule);
		try {
			synchronized (this) {
				checkCanAdd(rule.getId());
				this.index = this.index.with(rule);
			}
		}
		catch (RuntimeException ex) {
			this.held.release(rule);
			throw ex;
		}
	}

	private void atMostMaxDuration(String field, @Nullable Duration value) {
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
	 * counted as an injection. The call's {@link JdbcCall#kind() kind} decides which
	 * rules may apply at all: a rollback sees no errors, a pool's validation no scoped
	 * rules.
	 * @param call the JDBC call about to be made
	 * @return the rules to apply, empty when the call should go through untouched
	 */
	public List<FaultRule> fire(JdbcCall call) {
		return this.matcher.fire(this.index, call);
	}

	/**
	 * Return how long a latency rule holds a call back this time: its delay plus a
	 * uniform random part of its jitter, drawn from the registry's (seedable) random
	 * source.
	 * @param rule the rule
	 * @return the delay
	 */
	public Duration delayOf(FaultRule rule) {
		return this.matcher.delayOf(rule);
	}

	/**
	 * Record that a call was held back by a latency or hang rule.
	 * @param rule the rule
	 * @param call the call
	 * @param delay how long it was held back
	 */
	public void recordDelay(FaultRule rule, JdbcCall call, Duration delay) {
		this.events.delayed(rule, call, delay);
	}

	private @Nullable FaultRule find(String id) {
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
		// Released before the listeners are told, so that they see the lock or the
		// connections given back.
		this.held.release(rule);
		this.events.removed(rule, reason);
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
		this.expiry.close();
	}

}
