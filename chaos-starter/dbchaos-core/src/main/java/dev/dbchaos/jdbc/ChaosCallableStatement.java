package dev.dbchaos.jdbc;

import java.sql.CallableStatement;

import org.jspecify.annotations.Nullable;

/**
 * A {@link CallableStatement} that asks the fault engine before every execution (see
 * {@link ChaosPreparedStatement}). Everything it adds is delegation, generated at build
 * time into {@link DelegatingCallableStatement}, but for the result sets its out
 * parameters hold, which are wrapped too.
 */
class ChaosCallableStatement extends DelegatingCallableStatement {

	/**
	 * Wrap a callable statement.
	 * @param connection the connection that made it
	 * @param delegate the driver's statement
	 * @param sql the text it was prepared with, or {@code null} if unknown
	 */
	ChaosCallableStatement(ChaosConnection connection, CallableStatement delegate, @Nullable String sql) {
		super(connection, delegate, sql);
	}

	@Override
	protected <T> @Nullable T wrapObject(@Nullable T object, Class<T> type) {
		return this.connection.wrapObject(object, type);
	}

	@Override
	public String toString() {
		return "ChaosCallableStatement[" + this.callable + "]";
	}

}
