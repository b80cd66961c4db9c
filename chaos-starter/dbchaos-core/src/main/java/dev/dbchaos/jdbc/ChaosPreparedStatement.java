package dev.dbchaos.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * A {@link PreparedStatement} that asks the fault engine before every execution, matching
 * rules by the text it was prepared with. Everything else is delegation, generated at
 * build time into {@link DelegatingPreparedStatement}.
 */
class ChaosPreparedStatement extends DelegatingPreparedStatement {

	protected final @Nullable String sql;

	/**
	 * Wrap a prepared statement.
	 * @param connection the connection that made it
	 * @param delegate the driver's statement
	 * @param sql the text it was prepared with, or {@code null} if unknown
	 */
	ChaosPreparedStatement(ChaosConnection connection, PreparedStatement delegate, @Nullable String sql) {
		super(connection, delegate);
		this.sql = sql;
	}

	@Override
	@Nullable String batchSql() {
		return this.sql;
	}

	@Override
	public ResultSet executeQuery() throws SQLException {
		this.connection.beforeQuery(this.sql);
		return wrapResultSet(this.connection.replied(this.prepared.executeQuery()));
	}

	@Override
	public int executeUpdate() throws SQLException {
		this.connection.beforeUpdate(this.sql);
		return this.connection.replied(this.prepared.executeUpdate());
	}

	@Override
	public long executeLargeUpdate() throws SQLException {
		this.connection.beforeUpdate(this.sql);
		return this.connection.replied(this.prepared.executeLargeUpdate());
	}

	@Override
	public boolean execute() throws SQLException {
		this.connection.beforeExecute(this.sql);
		return this.connection.replied(this.prepared.execute());
	}

	@Override
	public String toString() {
		return "ChaosPreparedStatement[" + this.prepared + "]";
	}

}
