package dev.dbchaos.fault;

import org.jspecify.annotations.Nullable;

/**
 * A JDBC call a fault rule may apply to.
 *
 * @param operation what kind of call it is
 * @param sql the statement text, or {@code null} when there is none (connect, commit)
 * @param write whether the statement writes, for read-only faults
 * @param dataSource the name of the data source the call goes through
 * @param kind on whose behalf the call is made, which decides the rules that may apply
 * @param commits whether the call commits on the server: a commit, or a write in
 * auto-commit mode, which the server commits as it runs it (for ambiguous-commit faults)
 * @since 0.1.0
 */
public record JdbcCall(Operation operation, @Nullable String sql, boolean write, String dataSource, CallKind kind,
		boolean commits) {

	/**
	 * Describe a call that commits only if it is a commit.
	 * @param operation what kind of call it is
	 * @param sql the statement text, or {@code null} when there is none
	 * @param write whether the statement writes
	 * @param dataSource the name of the data source the call goes through
	 * @param kind on whose behalf the call is made
	 */
	public JdbcCall(Operation operation, @Nullable String sql, boolean write, String dataSource, CallKind kind) {
		this(operation, sql, write, dataSource, kind, operation == Operation.COMMIT);
	}

	/**
	 * Describe a call of the application ({@link CallKind#APPLICATION}) that commits only
	 * if it is a commit.
	 * @param operation what kind of call it is
	 * @param sql the statement text, or {@code null} when there is none
	 * @param write whether the statement writes
	 * @param dataSource the name of the data source the call goes through
	 */
	public JdbcCall(Operation operation, @Nullable String sql, boolean write, String dataSource) {
		this(operation, sql, write, dataSource, CallKind.APPLICATION);
	}

	/**
	 * Return the same call made on another's behalf.
	 * @param kind on whose behalf
	 * @return the call
	 */
	public JdbcCall as(CallKind kind) {
		return new JdbcCall(this.operation, this.sql, this.write, this.dataSource, kind, this.commits);
	}

	/**
	 * Return the same statement run in auto-commit mode, where a write commits as it
	 * runs.
	 * @return the call, committing if it writes
	 */
	public JdbcCall inAutoCommit() {
		return new JdbcCall(this.operation, this.sql, this.write, this.dataSource, this.kind, this.write);
	}

}
