package dev.dbchaos.jdbc;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

/**
 * A physical {@link Connection} that asks the fault engine before it reaches the server.
 * When an outage rule hits it, it behaves as a connection whose server went away: it is
 * closed, reports itself closed and invalid, and every later use fails with SQLState
 * 08003.
 * <p>
 * Only the methods that do something are written here; {@link DelegatingConnection},
 * generated at build time, passes every other call on to its delegate. While the
 * connection is open that is the physical connection. Once the server is gone an
 * {@link UnusableConnection} takes its place, which fails every call as the driver would,
 * so that no method needs a check of its own and an open connection's calls go straight
 * to the driver.
 */
class ChaosConnection extends DelegatingConnection {

	// Swaps the delegate only while it is still the physical connection: termination is
	// final.
	private static final AtomicReferenceFieldUpdater<DelegatingConnection, Connection> DELEGATE = AtomicReferenceFieldUpdater
		.newUpdater(DelegatingConnection.class, Connection.class, "delegate");

	private final Connection physical;

	private final FaultInjector injector;

	// The driver's failures as this connection's would read, naming it where the driver
	// does.
	private final JdbcFailures failures;

	private final OpenConnections open;

	// The wrapper of the metadata handed out last: drivers keep one metadata object per
	// connection.
	private @Nullable ChaosDatabaseMetaData metaData;

	// What the statement about to run meets once it has run: its reply lost, or its
	// result broken. Set before every execution; a connection serves one thread at a
	// time.
	private @Nullable Verdict later;

	ChaosConnection(Connection physical, FaultInjector injector, OpenConnections open) {
		super(physical);
		this.physical = physical;
		this.injector = injector;
		this.failures = injector.failures().of(physical);
		this.open = open;
	}

	/**
	 * Return the driver's failures as they read on this connection.
	 * @return the failures
	 */
	JdbcFailures failures() {
		return this.failures;
	}

	/**
	 * Return the driver's network timeout, which ends a hang as it ends a read from a
	 * frozen server.
	 * @return the timeout in milliseconds, 0 for none
	 */
	int networkTimeoutMillis() throws SQLException {
		return this.physical.getNetworkTimeout();
	}

	/**
	 * Return whether the driver's connection is in auto-commit mode, where a write
	 * commits as it runs.
	 * @return whether it auto-commits
	 */
	boolean autoCommit() throws SQLException {
		return this.physical.getAutoCommit();
	}

	/**
	 * Cut the connection as a server shutdown or a network failure would: the physical
	 * connection is closed, which makes the server roll back any open transaction.
	 */
	void terminate() {
		this.delegate = UnusableConnection.terminated(this.failures);
		this.open.closed(this);
		try {
			this.physical.close();
		}
		catch (SQLException ex) {
			// Already broken, which is what we wanted.
		}
	}

	/**
	 * Record that the server went away while this connection was open, as a real shutdown
	 * ends every session at once: the next use fails even if the outage has ended by
	 * then. Called from the thread that started the outage, so nothing is closed here:
	 * the owner may be in the middle of a call.
	 */
	void serverWentAway() {
		DELEGATE.compareAndSet(this, this.physical, UnusableConnection.serverGone(this, this.failures));
	}

	/**
	 * Fail unless the connection is open, for the calls that ask the fault engine first:
	 * the engine must not see a call the connection would refuse.
	 */
	void checkOpen() throws SQLException {
		Connection current = this.delegate;
		if (current != this.physical) {
			throw UnusableConnection.failureOf(current);
		}
	}

	private boolean isTerminated() {
		Connection current = this.delegate;
		return current != this.physical && UnusableConnection.isTerminated(current);
	}

	void beforeQuery(@Nullable String sql) throws SQLException {
		checkOpen();
		this.later = apply(this.injector.statement(this, sql, ExecutionKind.QUERY));
	}

	void beforeUpdate(@Nullable String sql) throws SQLException {
		checkOpen();
		this.later = apply(this.injector.statement(this, sql, ExecutionKind.UPDATE));
	}

	void beforeExecute(@Nullable String sql) throws SQLException {
		checkOpen();
		this.later = apply(this.injector.statement(this, sql, ExecutionKind.EXECUTE));
	}

	void beforeBatch(@Nullable String sql) throws SQLException {
		checkOpen();
		this.later = apply(this.injector.statement(this, sql, ExecutionKind.BATCH));
	}

	/**
	 * Hand on what a statement returned once it has run, unless its reply is lost: then
	 * the connection is cut, and the call fails as the driver's does when the network
	 * drops before the reply. The statement ran on the server all the same.
	 * @param result what the driver returned
	 * @param <T> its type
	 * @return the result
	 */
	<T> T replied(T result) throws SQLException {
		loseReplyIfLost();
		return result;
	}

	int replied(int result) throws SQLException {
		loseReplyIfLost();
		return result;
	}

	long replied(long result) throws SQLException {
		loseReplyIfLost();
		return result;
	}

	boolean replied(boolean result) throws SQLException {
		loseReplyIfLost();
		return result;
	}

	private void loseReplyIfLost() throws SQLException {
		Verdict verdict = this.later;
		if (verdict != null && verdict.action() == Verdict.Action.FAIL_AFTER_CALL) {
			this.later = null;
			terminate();
			throw verdict.failure();
		}
	}

	/**
	 * Return how many rows the result of the statement that just ran may hand out before
	 * the connection is lost, and forget it: only one result set is broken.
	 * @return the rows, or {@code -1} for a result that is not broken
	 */
	int takeResultBreak() {
		Verdict verdict = this.later;
		if (verdict != null && verdict.action() == Verdict.Action.BREAK_RESULT) {
			this.later = null;
			return verdict.rows();
		}
		return -1;
	}

	/**
	 * Lose the connection in the middle of a result: cut it, and return what the read
	 * fails with.
	 * @return the failure to throw
	 */
	SQLException resultBroken() {
		terminate();
		return this.failures.resultBroken();
	}

	/**
	 * Apply the verdicts of the fault engine for a call: wait out each hold, then do what
	 * the first failure does to this connection and throw it, unless it fails the call
	 * only after it ran.
	 * @param verdicts the call's verdicts; none lets it go on
	 * @return the first failing verdict when it {@link Verdict#failsLater() fails later},
	 * for the caller to apply once the call has run; {@code null} when the call goes on
	 */
	private @Nullable Verdict apply(List<Verdict> verdicts) throws SQLException {
		Verdict failing = Verdict.firstFailure(verdicts);
		if (failing == null) {
			return null;
		}
		if (failing.failsLater()) {
			return failing;
		}
		switch (failing.action()) {
			case FAIL_AND_TERMINATE -> terminate();
			case FAIL_AND_ABORT_TRANSACTION -> {
				if (!this.physical.getAutoCommit()) {
					this.failures.abortTransaction(this.physical, failing.failure());
				}
			}
			default -> {
				// The failure leaves the connection as it is.
			}
		}
		throw failing.failure();
	}

	/**
	 * Wrap a statement the driver made on its own, such as the one behind a metadata
	 * result set, in the most specific wrapper its type allows. Its text is unknown.
	 * @param statement the driver's statement
	 * @return the wrapper
	 */
	ChaosStatement wrapStatement(Statement statement) {
		if (statement instanceof CallableStatement callable) {
			return new ChaosCallableStatement(this, callable, null);
		}
		if (statement instanceof PreparedStatement prepared) {
			return new ChaosPreparedStatement(this, prepared, null);
		}
		return new ChaosStatement(this, statement);
	}

	/**
	 * Wrap a result set that a {@code getObject} returned (PgJDBC returns a refcursor's
	 * rows as one), unless the caller asked for a type the wrapper is not, such as the
	 * driver's own class.
	 * @param object what the driver returned
	 * @param type the type the caller asked for
	 * @param <T> the type the caller asked for
	 * @return the object to hand out
	 */
	<T> @Nullable T wrapObject(@Nullable T object, Class<T> type) {
		if (object instanceof ResultSet resultSet && type.isAssignableFrom(ChaosResultSet.class)) {
			return type.cast(new ChaosResultSet(this, null, resultSet, -1));
		}
		return object;
	}

	@Override
	protected @Nullable DatabaseMetaData wrapMetaData(@Nullable DatabaseMetaData metaData) {
		if (metaData == null) {
			return null;
		}
		ChaosDatabaseMetaData last = this.metaData;
		if (last == null || !last.wraps(metaData)) {
			last = new ChaosDatabaseMetaData(this, metaData);
			this.metaData = last;
		}
		return last;
	}

	@Override
	public Statement createStatement() throws SQLException {
		return new ChaosStatement(this, this.delegate.createStatement());
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
		return new ChaosStatement(this, this.delegate.createStatement(resultSetType, resultSetConcurrency));
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
			throws SQLException {
		return new ChaosStatement(this,
				this.delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
	}

	@Override
	public PreparedStatement prepareStatement(String sql) throws SQLException {
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql), sql);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql, autoGeneratedKeys), sql);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql, columnIndexes), sql);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql, columnNames), sql);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
			throws SQLException {
		return new ChaosPreparedStatement(this,
				this.delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), sql);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		return new ChaosPreparedStatement(this,
				this.delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
	}

	@Override
	public CallableStatement prepareCall(String sql) throws SQLException {
		return new ChaosCallableStatement(this, this.delegate.prepareCall(sql), sql);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
		return new ChaosCallableStatement(this, this.delegate.prepareCall(sql, resultSetType, resultSetConcurrency),
				sql);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		return new ChaosCallableStatement(this,
				this.delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
	}

	/**
	 * Commit, unless the engine fails the commit; an ambiguous commit commits, then loses
	 * the reply.
	 */
	@Override
	public void commit() throws SQLException {
		checkOpen();
		this.later = beforeEndingTransaction(true);
		this.physical.commit();
		loseReplyIfLost();
	}

	@Override
	public void rollback() throws SQLException {
		checkOpen();
		beforeEndingTransaction(false);
		this.physical.rollback();
	}

	@Override
	public void rollback(Savepoint savepoint) throws SQLException {
		checkOpen();
		beforeEndingTransaction(false);
		this.physical.rollback(savepoint);
	}

	/**
	 * Ask the fault engine before a commit or rollback. When it fails the call, the
	 * transaction ends as on a real server, where the failure would abort it: none of it
	 * may commit.
	 * @param commit whether the call commits rather than rolls back
	 * @return the verdict that fails the call once it has run, {@code null} for none
	 */
	private @Nullable Verdict beforeEndingTransaction(boolean commit) throws SQLException {
		try {
			return apply(commit ? this.injector.commit(this) : this.injector.rollback(this));
		}
		catch (SQLException ex) {
			endTransaction();
			throw ex;
		}
	}

	private void endTransaction() {
		if (isTerminated()) {
			// The physical connection is closed, so the server has rolled back already.
			return;
		}
		try {
			if (!this.physical.getAutoCommit()) {
				this.physical.rollback();
			}
		}
		catch (SQLException ex) {
			// The connection is broken after all, which rolls the transaction back too.
		}
	}

	/**
	 * Close the physical connection whatever the state, which does nothing once it is
	 * terminated, and stop tracking it for outages.
	 */
	@Override
	public void close() throws SQLException {
		this.open.closed(this);
		this.physical.close();
	}

	@Override
	public boolean isClosed() throws SQLException {
		return isTerminated() || this.physical.isClosed();
	}

	/**
	 * Answer as against a failing server (see {@link FaultInjector#validation}); a
	 * connection whose server went away is ended by the check, as a real validation query
	 * would find it dead.
	 */
	@Override
	public boolean isValid(int timeout) throws SQLException {
		Connection current = this.delegate;
		if (current == this.physical) {
			try {
				// No rule that fails later matches a validation.
				apply(this.injector.validation(this, timeout));
			}
			catch (SQLException ex) {
				// A failed validation answers false, as against the real failing server.
				return false;
			}
			return this.physical.isValid(timeout);
		}
		if (!UnusableConnection.isTerminated(current)) {
			terminate();
		}
		return false;
	}

	/**
	 * Reach the physical connection whatever the state: aborting a closed connection does
	 * nothing (JDBC says so), and a pool aborts the connections it gives up on.
	 */
	@Override
	public void abort(Executor executor) throws SQLException {
		this.physical.abort(executor);
	}

	/**
	 * Answer for this wrapper, or see through it to the physical connection, even once it
	 * is lost: pools unwrap the connections they hold.
	 */
	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return Unwrapping.unwrap(this, this.physical, iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return Unwrapping.isWrapperFor(this, this.physical, iface);
	}

	@Override
	public String toString() {
		return "ChaosConnection[" + this.physical + "]";
	}

}
