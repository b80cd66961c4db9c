package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * What MariaDB 10.11 says for the errors chaos tests inject most: vendor code, SQLState
 * and text, as the server sends them, so that an error rule that gives only a SQLState or
 * only a vendor code reads like the real thing. Measured against the server (see
 * {@code docs/fidelity-mariadb.md}); a message with the statement's own values in it (the
 * duplicate entry, the key) has them as MariaDB words them for a row of id 1.
 */
enum MariaDbErrors {

	/** A deadlock, after which InnoDB has rolled the whole transaction back. */
	DEADLOCK(1213, "40001", "Deadlock found when trying to get lock; try restarting transaction", true),

	/**
	 * A lock wait that ran out of {@code innodb_lock_wait_timeout}: only the statement is
	 * undone.
	 */
	LOCK_WAIT_TIMEOUT(1205, "HY000", "Lock wait timeout exceeded; try restarting transaction", false),

	/** A duplicate key. */
	DUPLICATE_KEY(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'", true),

	/** A write refused by a server running with {@code read_only}. */
	READ_ONLY(1290, "HY000",
			"The MariaDB server is running with the --read-only option so it cannot execute this statement", false),

	/** A statement that ran out of {@code max_statement_time}. */
	STATEMENT_TIMEOUT(1969, "70100", "Query execution was interrupted (max_statement_time exceeded)", true),

	/** A server with every connection slot taken. */
	TOO_MANY_CONNECTIONS(1040, "08004", "Too many connections", true);

	private final int code;

	private final String sqlState;

	private final String message;

	// Whether this is the error a rule with only this SQLState stands for.
	private final boolean usualForSqlState;

	MariaDbErrors(int code, String sqlState, String message, boolean usualForSqlState) {
		this.code = code;
		this.sqlState = sqlState;
		this.message = message;
		this.usualForSqlState = usualForSqlState;
	}

	int code() {
		return this.code;
	}

	String sqlState() {
		return this.sqlState;
	}

	String message() {
		return this.message;
	}

	/**
	 * Return the vendor code MariaDB reports an injected error with: the rule's, else the
	 * one it usually reports with the SQLState, else 0.
	 * @param sqlState the rule's SQLState
	 * @param vendorCode the rule's vendor code, may be {@code null}
	 * @return the code
	 */
	static int codeOf(String sqlState, @Nullable Integer vendorCode) {
		if (vendorCode != null) {
			return vendorCode;
		}
		MariaDbErrors known = ofSqlState(sqlState);
		return (known != null) ? known.code : 0;
	}

	/**
	 * Return the text MariaDB reports an injected error with: the rule's, else its usual
	 * one for the vendor code (or, without one, for the SQLState), else one that says
	 * dbchaos injected it.
	 * @param sqlState the rule's SQLState
	 * @param vendorCode the rule's vendor code, may be {@code null}
	 * @param message the rule's message, may be {@code null}
	 * @return the text
	 */
	static String messageOf(String sqlState, @Nullable Integer vendorCode, @Nullable String message) {
		if (message != null) {
			return message;
		}
		MariaDbErrors known = (vendorCode != null) ? ofCode(vendorCode) : ofSqlState(sqlState);
		return (known != null) ? known.message : "dbchaos injected error " + sqlState;
	}

	static @Nullable MariaDbErrors ofCode(int code) {
		for (MariaDbErrors error : values()) {
			if (error.code == code) {
				return error;
			}
		}
		return null;
	}

	static @Nullable MariaDbErrors ofSqlState(String sqlState) {
		for (MariaDbErrors error : values()) {
			if (error.usualForSqlState && error.sqlState.equals(sqlState)) {
				return error;
			}
		}
		return null;
	}

	/**
	 * Leave a transaction as MariaDB leaves it after an error, whichever driver talks to
	 * it: the whole transaction rolled back after a deadlock; after its other errors (a
	 * lock wait timeout too, unless the server runs with
	 * {@code innodb_rollback_on_timeout}) the transaction goes on, without the failed
	 * statement.
	 * @param connection the driver's connection, not in auto-commit mode
	 * @param error the injected error
	 */
	static void leaveTransactionAsTheServerDoes(Connection connection, SQLException error) {
		if (error.getErrorCode() == DEADLOCK.code()) {
			try {
				connection.rollback();
			}
			catch (SQLException ex) {
				// The connection broke, which rolls the transaction back all the same.
			}
		}
	}

}
