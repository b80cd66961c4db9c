package dev.dbchaos.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ResultSet} that leads back to the wrappers, not to the driver's objects:
 * {@code getStatement()} returns the {@link ChaosStatement} that made it, whose
 * connection is the {@link ChaosConnection}, so that a caller that reaches the connection
 * through a result set (as some frameworks do above a pool) still meets every fault. A
 * result-reset fault breaks it after a number of rows: {@link #next()} loses the
 * connection. Everything else is delegation, generated at build time into
 * {@link DelegatingResultSet}.
 */
class ChaosResultSet extends DelegatingResultSet {

	private final ChaosConnection connection;

	// The statement that made it; null for one the driver made on its own (metadata,
	// refcursor).
	private final @Nullable ChaosStatement statement;

	// The wrapper of the driver's own statement behind a result set no wrapper made, made
	// when
	// first asked for.
	private @Nullable ChaosStatement driverStatement;

	// How many more rows next() hands out before the connection is lost; -1 for ever.
	private int rowsBeforeBreak;

	/**
	 * Wrap a result set.
	 * @param connection the connection it belongs to
	 * @param statement the statement that made it, or {@code null} if the driver made it
	 * on its own, for database metadata or a refcursor
	 * @param delegate the driver's result set
	 * @param rowsBeforeBreak how many rows it hands out before the connection is lost, -1
	 * when it is not broken
	 */
	ChaosResultSet(ChaosConnection connection, @Nullable ChaosStatement statement, ResultSet delegate,
			int rowsBeforeBreak) {
		super(delegate);
		this.connection = connection;
		this.statement = statement;
		this.rowsBeforeBreak = rowsBeforeBreak;
	}

	/**
	 * Move to the next row, unless the result is broken and its rows are used up: then
	 * the connection is lost, as when it drops while the rows stream in.
	 */
	@Override
	public boolean next() throws SQLException {
		if (this.rowsBeforeBreak >= 0) {
			if (this.rowsBeforeBreak == 0) {
				this.rowsBeforeBreak = -1;
				throw this.connection.resultBroken();
			}
			this.rowsBeforeBreak--;
		}
		return this.delegate.next();
	}

	/**
	 * Return whether this wraps a result set of the driver.
	 * @param resultSet the driver's result set
	 * @return whether it is this one's delegate
	 */
	boolean wraps(ResultSet resultSet) {
		return resultSet == this.delegate;
	}

	/**
	 * Return the statement that made this result set, or a wrapper of the statement the
	 * driver made it with on its own, which leads back to the connection too.
	 */
	@Override
	protected @Nullable Statement wrapStatement(@Nullable Statement statement) {
		if (statement == null) {
			return null;
		}
		if (this.statement != null && this.statement.wraps(statement)) {
			return this.statement;
		}
		ChaosStatement wrapped = this.driverStatement;
		if (wrapped == null || !wrapped.wraps(statement)) {
			wrapped = this.connection.wrapStatement(statement);
			this.driverStatement = wrapped;
		}
		return wrapped;
	}

	@Override
	protected <T> @Nullable T wrapObject(@Nullable T object, Class<T> type) {
		return this.connection.wrapObject(object, type);
	}

	/**
	 * Answer for this wrapper, or see through it to the driver's result set.
	 */
	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return Unwrapping.unwrap(this, this.delegate, iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return Unwrapping.isWrapperFor(this, this.delegate, iface);
	}

	@Override
	public String toString() {
		return "ChaosResultSet[" + this.delegate + "]";
	}

}
