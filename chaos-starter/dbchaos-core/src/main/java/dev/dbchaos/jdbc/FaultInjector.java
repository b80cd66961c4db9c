package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.fault.Operation;

/**
 * Decides what the calls of one data source meet: asks the registry which rules fire and
 * turns each into a {@link Verdict}, the driver's failure for the real event included. It
 * never touches a connection; the connection applies the verdicts.
 */
final class FaultInjector {

	private final FaultRegistry registry;

	private final String dataSourceName;

	private final JdbcFailures failures;

	private final @Nullable Duration connectTimeout;

	// Which calls are the pool's own, such as its validation of a connection it hands
	// out.
	private volatile PoolCallDetector poolCalls = PoolCallDetector.NONE;

	// Made once, so that a call no rule fires for allocates nothing.
	private final JdbcCalls calls;

	/**
	 * Create an injector.
	 * @param registry the rules in force
	 * @param dataSourceName the bean name rules filter by
	 * @param failures the driver's failures
	 * @param connectTimeout the driver's socket timeout, which ends each of its attempts
	 * to open a connection to a frozen server, or {@code null} to wait as long as the
	 * rule lasts
	 */
	FaultInjector(FaultRegistry registry, String dataSourceName, JdbcFailures failures,
			@Nullable Duration connectTimeout) {
		this.registry = registry;
		this.dataSourceName = dataSourceName;
		this.failures = failures;
		this.connectTimeout = connectTimeout;
		this.calls = new JdbcCalls(dataSourceName);
	}

	void detectPoolCalls(PoolCallDetector detector) {
		this.poolCalls = detector;
	}

	JdbcFailures failures() {
		return this.failures;
	}

	String dataSourceName() {
		return this.dataSourceName;
	}

	/**
	 * Decide what opening a physical connection meets.
	 * @return the verdicts, in the order to apply them; empty to go on
	 */
	List<Verdict> connect() {
		if (this.registry.isIdle()) {
			return Collections.emptyList();
		}
		JdbcCall call = this.calls.connect();
		List<FaultRule> fired = this.registry.fire(call);
		if (fired.isEmpty()) {
			return Collections.emptyList();
		}
		List<Verdict> verdicts = new ArrayList<>(fired.size());
		for (FaultRule rule : fired) {
			verdicts.add(switch (rule.getType()) {
				case LATENCY -> delay(rule, call, this.failures::interrupted);
				case HANG -> connectHang(rule, call);
				case OUTAGE -> Verdict.fail(this.failures.connectionRefused());
				case ERROR -> Verdict.fail(this.failures.error(rule.getSpec().getSqlState(),
						rule.getSpec().getVendorCode(), rule.getSpec().getMessage()));
				case READ_ONLY -> Verdict.fail(this.failures.readOnly(SqlStatements.refusedCommand(call.sql())));
				case AMBIGUOUS_COMMIT, RESULT_RESET, LOCK, POOL_EXHAUSTION ->
					throw new IllegalStateException(rule.getType() + " rules never match a connect");
			});
		}
		return verdicts;
	}

	/**
	 * Decide what a statement's execution meets.
	 * @param connection the connection it runs on, asked only for its network timeout
	 * @param sql the statement text, {@code null} when it is not known
	 * @param kind how it is executed
	 * @return the verdicts, in the order to apply them; empty to go on
	 */
	List<Verdict> statement(ChaosConnection connection, @Nullable String sql, ExecutionKind kind) throws SQLException {
		if (this.registry.isIdle()) {
			return Collections.emptyList();
		}
		JdbcCall call = this.calls.statement(sql, kind);
		if (call.write() && connection.autoCommit()) {
			// The server commits the write as it runs it, as an ambiguous commit needs
			// to know.
			call = this.calls.inAutoCommit(call);
		}
		return onConnection(this.registry.fire(call), call, connection, kind == ExecutionKind.BATCH, -1);
	}

	/**
	 * Decide what a commit meets.
	 * @param connection the connection, asked only for its network timeout
	 * @return the verdicts, in the order to apply them; empty to go on
	 */
	List<Verdict> commit(ChaosConnection connection) throws SQLException {
		if (this.registry.isIdle()) {
			return Collections.emptyList();
		}
		JdbcCall call = this.calls.commit();
		return onConnection(this.registry.fire(call), call, connection, false, -1);
	}

	/**
	 * Decide what a rollback meets. A rollback reaches the server too, so an outage
	 * breaks it, but errors do not apply (see
	 * {@link dev.dbchaos.fault.CallKind#ROLLBACK}).
	 * @param connection the connection, asked only for its network timeout
	 * @return the verdicts, in the order to apply them; empty to go on
	 */
	List<Verdict> rollback(ChaosConnection connection) throws SQLException {
		if (this.registry.isIdle()) {
			return Collections.emptyList();
		}
		JdbcCall call = this.calls.rollback();
		return onConnection(this.registry.fire(call), call, connection, false, -1);
	}

	/**
	 * Decide what {@link Connection#isValid(int)} meets, as against a failing server: a
	 * failure when the server is down or answers with an error, a failure after the
	 * timeout when it is frozen; the connection answers {@code false} for either. When
	 * the pool validates on its own behalf, only unscoped rules apply (see
	 * {@link dev.dbchaos.fault.CallKind#POOL_VALIDATION}).
	 * @param connection the connection to validate
	 * @param timeoutSeconds the timeout given to {@link Connection#isValid(int)}, which a
	 * hang waits out when it is positive
	 * @return the verdicts, in the order to apply them; empty to ask the physical
	 * connection
	 */
	List<Verdict> validation(ChaosConnection connection, int timeoutSeconds) throws SQLException {
		if (this.registry.isIdle()) {
			return Collections.emptyList();
		}
		JdbcCall call = this.calls.validation(this.poolCalls.isPoolCall());
		return onConnection(this.registry.fire(call), call, connection, false, timeoutSeconds);
	}

	private List<Verdict> onConnection(List<FaultRule> fired, JdbcCall call, ChaosConnection connection, boolean batch,
			int validationTimeoutSeconds) throws SQLException {
		if (fired.isEmpty()) {
			return Collections.emptyList();
		}
		JdbcFailures failures = connection.failures();
		boolean validation = validationTimeoutSeconds >= 0;
		List<Verdict> verdicts = new ArrayList<>(fired.size());
		for (FaultRule rule : fired) {
			Verdict verdict = switch (rule.getType()) {
				case LATENCY -> delay(rule, call, interruption(failures, call, batch));
				case HANG -> hang(rule, call, connection, batch, validationTimeoutSeconds);
				case OUTAGE -> Verdict.failAndTerminate(asBatch(failures, failures.serverShutdown(), call, batch));
				case ERROR -> error(failures, rule, call, batch, validation);
				case READ_ONLY -> serverError(failures, failures.readOnly(SqlStatements.refusedCommand(call.sql())),
						call, batch, validation);
				case AMBIGUOUS_COMMIT ->
					Verdict.failAfterCall(asBatch(failures, failures.connectionLost(), call, batch));
				case RESULT_RESET -> Verdict.breakResult(rule.getSpec().getAfterRows());
				case LOCK, POOL_EXHAUSTION ->
					throw new IllegalStateException(rule.getType() + " rules never match a call");
			};
			verdicts.add(verdict);
		}
		return verdicts;
	}

	private Verdict error(JdbcFailures failures, FaultRule rule, JdbcCall call, boolean batch, boolean validation) {
		String sqlState = rule.getSpec().getSqlState();
		Integer vendorCode = rule.getSpec().getVendorCode();
		String message = rule.getSpec().getMessage();
		if (failures.endsSession(sqlState, vendorCode)) {
			// The server closes the session with such an error, so the connection is lost
			// too.
			return Verdict
				.failAndTerminate(asBatch(failures, failures.sessionEnded(sqlState, vendorCode, message), call, batch));
		}
		return serverError(failures, failures.error(sqlState, vendorCode, message), call, batch, validation);
	}

	/**
	 * A statement's error leaves its transaction aborted on the server. A failed commit
	 * or rollback ends the transaction instead, which {@link ChaosConnection} sees to,
	 * and a validation's failure is swallowed (pools validate outside transactions).
	 * @param failures the connection's failures
	 * @param error the server's error
	 * @param call the failing call
	 * @param batch whether the call executes a batch
	 * @param validation whether the call is a validation
	 * @return the verdict
	 */
	private static Verdict serverError(JdbcFailures failures, SQLException error, JdbcCall call, boolean batch,
			boolean validation) {
		boolean statement = call.operation() == Operation.QUERY || call.operation() == Operation.UPDATE;
		SQLException failure = asBatch(failures, error, call, batch);
		return (statement && !validation) ? Verdict.failAndAbortTransaction(failure) : Verdict.fail(failure);
	}

	private Verdict delay(FaultRule rule, JdbcCall call, Supplier<SQLException> interruption) {
		return Verdict.delay(Verdict.Hold.of(this.registry, rule, call, this.registry.delayOf(rule), interruption));
	}

	/**
	 * Hold a new connection as a frozen server does: each of the driver's attempts waits
	 * out its socket timeout, and the login timeout ends them all when it comes first.
	 * @param rule the hang rule
	 * @param call the call of opening the connection
	 * @return the verdict
	 */
	private Verdict connectHang(FaultRule rule, JdbcCall call) {
		Duration timeout = (this.connectTimeout != null)
				? this.connectTimeout.multipliedBy(this.failures.connectAttempts()) : null;
		Duration loginTimeout = this.failures.loginTimeout();
		boolean login = loginTimeout != null && (timeout == null || loginTimeout.compareTo(timeout) < 0);
		Verdict onTimeout = Verdict.fail(login ? this.failures.loginTimedOut() : this.failures.connectTimedOut());
		return Verdict.hang(
				Verdict.Hold.of(this.registry, rule, call, login ? loginTimeout : timeout, this.failures::interrupted),
				onTimeout);
	}

	/**
	 * Hold a call on an open connection as a frozen server does: until the rule ends,
	 * when the call goes on, or until the driver gives up, when the connection is lost (a
	 * validation only fails).
	 * @param rule the hang rule
	 * @param call the call to hold back
	 * @param connection the connection, asked for its network timeout
	 * @param batch whether the call executes a batch
	 * @param validationTimeoutSeconds the timeout of the validation held back, {@code -1}
	 * when the call is not a validation
	 * @return the verdict
	 */
	private Verdict hang(FaultRule rule, JdbcCall call, ChaosConnection connection, boolean batch,
			int validationTimeoutSeconds) throws SQLException {
		Duration timeout;
		if (validationTimeoutSeconds > 0) {
			timeout = Duration.ofSeconds(validationTimeoutSeconds);
		}
		else {
			// The driver's network (socket) timeout, which is what ends a read from a
			// frozen server.
			int networkTimeout = connection.networkTimeoutMillis();
			timeout = (networkTimeout > 0) ? Duration.ofMillis(networkTimeout) : null;
		}
		JdbcFailures failures = connection.failures();
		SQLException timedOut = asBatch(failures, failures.socketTimeout(), call, batch);
		Verdict onTimeout = (validationTimeoutSeconds >= 0) ? Verdict.fail(timedOut)
				: Verdict.failAndTerminate(timedOut);
		return Verdict.hang(Verdict.Hold.of(this.registry, rule, call, timeout, interruption(failures, call, batch)),
				onTimeout);
	}

	private static Supplier<SQLException> interruption(JdbcFailures failures, JdbcCall call, boolean batch) {
		return () -> asBatch(failures, failures.interrupted(), call, batch);
	}

	private static SQLException asBatch(JdbcFailures failures, SQLException failure, JdbcCall call, boolean batch) {
		return batch ? failures.batchFailed(failure, call.sql()) : failure;
	}

}
