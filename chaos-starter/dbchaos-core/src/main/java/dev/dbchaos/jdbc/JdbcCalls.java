package dev.dbchaos.jdbc;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.CallKind;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.fault.Operation;

/**
 * The {@link JdbcCall}s of one data source, made once and handed out again: a call that
 * no rule fires for allocates nothing, and a statement is classified as a read or a write
 * once per text, not on every execution. A prepared statement passes the same text every
 * time, and a {@code JdbcCall} is an immutable value, so one instance serves every
 * execution of it.
 * <p>
 * Statements are remembered in a fixed number of slots, one per hash of the text, a call
 * of another text taking the place of the one before, so memory stays bounded whatever
 * the application runs. Slots are read and written without locks: a thread that misses
 * another's write only makes the call again.
 */
final class JdbcCalls {

	// A power of two, so that a hash selects a slot by masking.
	private static final int SLOTS = 256;

	private final String dataSource;

	private final JdbcCall connect;

	private final JdbcCall commit;

	private final JdbcCall rollback;

	private final JdbcCall validation;

	private final JdbcCall poolValidation;

	private final JdbcCall unknownStatement;

	private final JdbcCall unknownWrite;

	private final JdbcCall unknownAutoCommitWrite;

	// Statements classified by their text: executeQuery and execute.
	private final @Nullable JdbcCall[] statements = new JdbcCall[SLOTS];

	// Statements that write whatever their text: executeUpdate and batches.
	private final @Nullable JdbcCall[] writes = new JdbcCall[SLOTS];

	// Writes run in auto-commit mode, which commit as they run.
	private final @Nullable JdbcCall[] autoCommitWrites = new JdbcCall[SLOTS];

	/**
	 * Create the calls of a data source.
	 * @param dataSource the name rules filter by
	 */
	JdbcCalls(String dataSource) {
		this.dataSource = dataSource;
		this.connect = new JdbcCall(Operation.CONNECT, null, false, dataSource);
		this.commit = new JdbcCall(Operation.COMMIT, null, false, dataSource);
		// Neither is one of the filterable operations: only rules for any operation
		// match.
		this.rollback = new JdbcCall(Operation.ANY, null, false, dataSource, CallKind.ROLLBACK);
		this.validation = new JdbcCall(Operation.ANY, null, false, dataSource);
		this.poolValidation = this.validation.as(CallKind.POOL_VALIDATION);
		this.unknownStatement = classify(null, false);
		this.unknownWrite = classify(null, true);
		this.unknownAutoCommitWrite = this.unknownWrite.inAutoCommit();
	}

	/**
	 * Return the call of opening a physical connection.
	 * @return the call
	 */
	JdbcCall connect() {
		return this.connect;
	}

	/**
	 * Return the call of a commit.
	 * @return the call
	 */
	JdbcCall commit() {
		return this.commit;
	}

	/**
	 * Return the call of a rollback, which only rules for any operation match.
	 * @return the call
	 */
	JdbcCall rollback() {
		return this.rollback;
	}

	/**
	 * Return the call of a {@link java.sql.Connection#isValid(int) validation}, which
	 * only rules for any operation match.
	 * @param byPool whether the pool validates on its own behalf rather than the
	 * application
	 * @return the call
	 */
	JdbcCall validation(boolean byPool) {
		return byPool ? this.poolValidation : this.validation;
	}

	/**
	 * Return the call of executing a statement.
	 * @param sql the statement text, or {@code null} if unknown
	 * @param kind how it is executed
	 * @return the call
	 */
	JdbcCall statement(@Nullable String sql, ExecutionKind kind) {
		boolean alwaysWrite = kind == ExecutionKind.UPDATE || kind == ExecutionKind.BATCH;
		if (sql == null) {
			return alwaysWrite ? this.unknownWrite : this.unknownStatement;
		}
		JdbcCall[] calls = alwaysWrite ? this.writes : this.statements;
		int slot = slot(sql);
		JdbcCall call = calls[slot];
		if (call == null || !sql.equals(call.sql())) {
			call = classify(sql, alwaysWrite);
			calls[slot] = call;
		}
		return call;
	}

	/**
	 * Return the call of a write run on a connection in auto-commit mode, which
	 * {@link JdbcCall#commits() commits} as it runs.
	 * @param write the call of the write, as {@link #statement} gives it
	 * @return the call
	 */
	JdbcCall inAutoCommit(JdbcCall write) {
		String sql = write.sql();
		if (sql == null) {
			return this.unknownAutoCommitWrite;
		}
		int slot = slot(sql);
		JdbcCall call = this.autoCommitWrites[slot];
		if (call == null || !sql.equals(call.sql())) {
			call = write.inAutoCommit();
			this.autoCommitWrites[slot] = call;
		}
		return call;
	}

	private static int slot(String sql) {
		// String caches its hash, so a statement run again costs no pass over its text
		// here.
		int hash = sql.hashCode();
		return (hash ^ (hash >>> 16)) & (SLOTS - 1);
	}

	private JdbcCall classify(@Nullable String sql, boolean alwaysWrite) {
		boolean write = alwaysWrite || SqlStatements.isWrite(sql);
		return new JdbcCall(write ? Operation.UPDATE : Operation.QUERY, sql, write, this.dataSource);
	}

}
