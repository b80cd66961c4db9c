package dev.dbchaos.jdbc;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.dbchaos.Registration;
import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.fault.Operation;

/**
 * Applies the rules that fire for a call of one data source: holds it back for latency
 * and hang faults, and throws what the driver would throw for the others.
 */
final class FaultInjector {

	private final FaultRegistry registry;

	private final String dataSourceName;

	private final JdbcFailures failures;

	private final Duration connectTimeout;

	// Which calls are the pool's own, such as its validation of a connection it hands
	// out.
	private volatile PoolCallDetector poolCalls = PoolCallDetector.NONE;

	// Made once, so that a call no rule fires for allocates nothing.
	private final JdbcCalls calls;

	// The physical connections handed out and not closed yet, for a full outage to cut.
	private final Set<ChaosConnection> open = ConcurrentHashMap.newKeySet();

	private final FaultListener fullOutages = new FaultListener() {
		@Override
		public void added(FaultRule rule) {
			if (isFullOutage(rule.getSpec())) {
				FaultInjector.this.open.forEach(ChaosConnection::serverWentAway);
			}
		}
	};

	/**
	 * Create an injector. It applies the rules that fire for its calls; a full outage
	 * cuts its open connections only once {@link #listenForFullOutages() it listens for
	 * them}.
	 * @param registry the rules in force
	 * @param dataSourceName the bean name rules filter by
	 * @param failures the driver's failures
	 * @param connectTimeout the driver's socket timeout, which ends each of its attempts
	 * to open a connection to a frozen server, or {@code null} to wait as long as the
	 * rule lasts
	 */
	FaultInjector(FaultRegistry registry, String dataSourceName, JdbcFailures failures, Duration connectTimeout) {
		this.registry = registry;
		this.dataSourceName = dataSourceName;
		this.failures = failures;
		this.connectTimeout = connectTimeout;
		this.calls = new JdbcCalls(dataSourceName);
	}

	/**
	 * Cut the connections open when a full outage starts, as a real shutdown does, until
	 * the returned registration is closed.
	 * @return the registration of the listener with the registry
	 */
	Registration listenForFullOutages() {
		return this.registry.addListener(this.fullOutages);
	}

	/**
	 * Return whether a rule takes the whole server down for this data source, as a real
	 * shutdown does: every call, every caller, every time. Only such an outage cuts the
	 * connections that are open when it starts; a partial one breaks the calls it
	 * matches.
	 * @param spec the spec of a rule just added
	 * @return whether the rule is an outage of every call of this data source
	 */
	private boolean isFullOutage(FaultSpec spec) {
		return spec.getType() == FaultType.OUTAGE && spec.getScope() == null && spec.getOperation() == Operation.ANY
				&& spec.getSql() == null && spec.getProbability() >= 1.0 && spec.getCount() == null
				&& (spec.getDataSource() == null || spec.getDataSource().equals(this.dataSourceName));
	}

	void detectPoolCalls(PoolCallDetector detector) {
		this.poolCalls = detector;
	}

	void forget(ChaosConnection connection) {
		this.open.remove(connection);
	}

	JdbcFailures failures() {
		return this.failures;
	}

	String dataSourceName() {
		return this.dataSourceName;
	}

	Connection connect(ConnectionOpener opener) throws SQLException {
		if (!this.registry.isIdle()) {
			JdbcCall call = this.calls.connect();
			apply(this.registry.fire(call), call, null, false);
		}
		ChaosConnection connection = new ChaosConnection(opener.open(), this);
		this.open.add(connection);
		return connection;
	}

	void beforeStatement(ChaosConnection connection, String sql, ExecutionKind kind) throws SQLException {
		if (this.registry.isIdle()) {
			return;
		}
		JdbcCall call = this.calls.statement(sql, kind);
		apply(this.registry.fire(call), call, connection, kind == ExecutionKind.BATCH);
	}

	void beforeCommit(ChaosConnection connection) throws SQLException {
		if (!this.registry.isIdle()) {
			JdbcCall call = this.calls.commit();
			apply(this.registry.fire(call), call, connection, false);
		}
	}

	/**
	 * A rollback reaches the server too, so an outage breaks it, but errors do not apply
	 * (see FaultRegistry#fireForRollback). It belongs to none of the filterable
	 * operations and is matched only by rules for any operation.
	 * @param connection the connection about to roll back
	 */
	void beforeRollback(ChaosConnection connection) throws SQLException {
		if (!this.registry.isIdle()) {
			JdbcCall call = this.calls.anyOperation();
			apply(this.registry.fireForRollback(call), call, connection, false);
		}
	}

	/**
	 * {@link Connection#isValid(int)} as against a failing server: false when the server
	 * is down or answers with an error, false after the timeout when it is frozen. Like a
	 * rollback, matched only by rules for any operation; and when the pool validates,
	 * only by unscoped ones, as that is the pool's own call, made on whichever thread
	 * borrows (see FaultRegistry#fireForPool).
	 * @param connection the connection to validate
	 * @param timeoutSeconds the timeout given to {@link Connection#isValid(int)}, which a
	 * hang waits out when it is positive
	 * @return {@code false} when a rule fails the check, otherwise the physical
	 * connection's answer
	 */
	boolean isValid(ChaosConnection connection, int timeoutSeconds) throws SQLException {
		if (!this.registry.isIdle()) {
			JdbcCall call = this.calls.anyOperation();
			List<FaultRule> rules = this.poolCalls.isPoolCall() ? this.registry.fireForPool(call)
					: this.registry.fire(call);
			try {
				apply(rules, call, connection, false, timeoutSeconds);
			}
			catch (SQLException ex) {
				return false;
			}
		}
		return connection.getPhysical().isValid(timeoutSeconds);
	}

	private void apply(List<FaultRule> rules, JdbcCall call, ChaosConnection connection, boolean batch)
			throws SQLException {
		apply(rules, call, connection, batch, -1);
	}

	private void apply(List<FaultRule> rules, JdbcCall call, ChaosConnection connection, boolean batch,
			int validationTimeoutSeconds) throws SQLException {
		for (FaultRule rule : rules) {
			SQLException failure = switch (rule.getType()) {
				case LATENCY -> delay(rule, call, connection);
				case HANG -> hang(rule, call, connection, validationTimeoutSeconds);
				case OUTAGE -> outage(connection);
				case ERROR -> error(rule, call, connection, validationTimeoutSeconds);
				case READ_ONLY -> serverError(this.failures.readOnly(SqlStatements.command(call.sql())), call,
						connection, validationTimeoutSeconds);
			};
			if (failure != null) {
				throw batch ? asBatchFailure(failure, call.sql()) : failure;
			}
		}
	}

	private SQLException error(FaultRule rule, JdbcCall call, ChaosConnection connection, int validationTimeoutSeconds)
			throws SQLException {
		String sqlState = rule.getSpec().getSqlState();
		String message = rule.getSpec().getMessage();
		if (connection != null && this.failures.endsSession(sqlState)) {
			// The server closes the session with such an error, so the connection is lost
			// too.
			connection.terminate();
			return this.failures.sessionEnded(sqlState, message);
		}
		return serverError(this.failures.error(sqlState, message), call, connection, validationTimeoutSeconds);
	}

	/**
	 * Leave the connection's transaction as the server leaves it after a statement's
	 * error: aborted, so that an application that catches the error and carries on meets
	 * what it would meet after the real one. A failed commit or rollback ends the
	 * transaction instead, which {@link ChaosConnection} sees to.
	 * @param error the server's error
	 * @param call the JDBC call the error fails
	 * @param connection the connection of the call, {@code null} when it opens one
	 * @param validationTimeoutSeconds the timeout of the {@link Connection#isValid(int)}
	 * call the error fails, {@code -1} when the call is not a validation
	 * @return the error, for the caller to throw
	 */
	private SQLException serverError(SQLException error, JdbcCall call, ChaosConnection connection,
			int validationTimeoutSeconds) throws SQLException {
		// A validation's failure is swallowed, and pools validate outside transactions.
		boolean statement = call.operation() == Operation.QUERY || call.operation() == Operation.UPDATE;
		if (connection != null && validationTimeoutSeconds < 0 && statement) {
			Connection physical = connection.getPhysical();
			if (!physical.getAutoCommit()) {
				this.failures.abortTransaction(physical, error.getSQLState());
			}
		}
		return error;
	}

	private SQLException outage(ChaosConnection connection) {
		if (connection == null) {
			return this.failures.connectionRefused();
		}
		connection.terminate();
		return this.failures.serverShutdown();
	}

	private SQLException delay(FaultRule rule, JdbcCall call, ChaosConnection connection) {
		Duration delay = this.registry.delayOf(rule);
		long start = System.nanoTime();
		try {
			// Waiting on the rule's end rather than sleeping lets a removed rule release
			// its calls.
			rule.awaitEnd(delay.toNanos());
			return null;
		}
		catch (InterruptedException ex) {
			return interrupted(connection);
		}
		finally {
			this.registry.recordDelay(rule, call, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	/**
	 * Block as on a frozen server: until the rule ends, when the call goes on normally,
	 * or until the driver would give up, when the connection is lost as it would be.
	 * @param rule the hang rule
	 * @param call the JDBC call to hold back
	 * @param connection the connection of the call, {@code null} when it opens one
	 * @param validationTimeoutSeconds the timeout of the {@link Connection#isValid(int)}
	 * call to hold back, {@code -1} when the call is not a validation
	 * @return {@code null} when the rule ended first, otherwise the call's failure: the
	 * driver's timeout, or an interruption
	 */
	private SQLException hang(FaultRule rule, JdbcCall call, ChaosConnection connection, int validationTimeoutSeconds)
			throws SQLException {
		Duration timeout = hangTimeout(connection, validationTimeoutSeconds);
		// A new connection is given up at the login timeout when that comes first.
		Duration loginTimeout = (connection != null) ? null : this.failures.loginTimeout();
		boolean login = loginTimeout != null && (timeout == null || loginTimeout.compareTo(timeout) < 0);
		if (login) {
			timeout = loginTimeout;
		}
		long start = System.nanoTime();
		try {
			boolean ended = rule.awaitEnd((timeout != null) ? timeout.toNanos() : Long.MAX_VALUE);
			if (ended) {
				return null;
			}
			if (connection == null) {
				return login ? this.failures.loginTimedOut() : this.failures.connectTimedOut();
			}
			if (validationTimeoutSeconds >= 0) {
				return this.failures.socketTimeout();
			}
			connection.terminate();
			return this.failures.socketTimeout();
		}
		catch (InterruptedException ex) {
			return interrupted(connection);
		}
		finally {
			this.registry.recordDelay(rule, call, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	private Duration hangTimeout(ChaosConnection connection, int validationTimeoutSeconds) throws SQLException {
		if (connection == null) {
			// Each of the driver's attempts waits out its socket timeout.
			return (this.connectTimeout != null) ? this.connectTimeout.multipliedBy(this.failures.connectAttempts())
					: null;
		}
		if (validationTimeoutSeconds > 0) {
			return Duration.ofSeconds(validationTimeoutSeconds);
		}
		// The driver's network (socket) timeout, which is what ends a read from a frozen
		// server.
		int networkTimeout = connection.getPhysical().getNetworkTimeout();
		return (networkTimeout > 0) ? Duration.ofMillis(networkTimeout) : null;
	}

	private SQLException interrupted(ChaosConnection connection) {
		Thread.currentThread().interrupt();
		// The call was abandoned half-way, so the connection's state is unknown: drop it.
		if (connection != null) {
			connection.terminate();
		}
		return this.failures.interrupted();
	}

	/**
	 * Fail a batch as PgJDBC's {@code BatchResultHandler} does when its first entry
	 * fails: the message quotes that entry's statement. A prepared batch is quoted with
	 * its {@code ?} placeholders, where the driver would show the bound values, and the
	 * update counts stay empty, as the batch's size is not known here.
	 * @param failure the failure of the batch's first entry
	 * @param sql the statement text of the batch, {@code null} when it is not known
	 * @return the {@link BatchUpdateException} to throw, with the failure as its cause
	 * and next exception
	 */
	private static SQLException asBatchFailure(SQLException failure, String sql) {
		String entry = (sql != null) ? sql : "<unknown>";
		BatchUpdateException batch = new BatchUpdateException(
				"Batch entry 0 " + entry + " was aborted: " + failure.getMessage()
						+ "  Call getNextException to see other errors in the batch.",
				failure.getSQLState(), failure.getErrorCode(), new long[0], failure);
		batch.setNextException(failure);
		return batch;
	}

	/**
	 * Opens a connection of the wrapped data source.
	 */
	@FunctionalInterface
	interface ConnectionOpener {

		Connection open() throws SQLException;

	}

}
