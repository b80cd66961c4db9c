package dev.dbchaos.jdbc;

import java.util.Map;

/**
 * What PostgreSQL says for the SQLStates chaos tests inject most, so that an error rule
 * without a message reads like the real thing.
 */
final class SqlStates {

	private static final Map<String, String> MESSAGES = Map.ofEntries(
			Map.entry("40001", "could not serialize access due to concurrent update"),
			Map.entry("40P01", "deadlock detected"), Map.entry("57014", "canceling statement due to statement timeout"),
			Map.entry("55P03", "canceling statement due to lock timeout"),
			Map.entry("53300", "sorry, too many clients already"), Map.entry("53200", "out of memory"),
			Map.entry("53100", "could not extend file: No space left on device"),
			Map.entry("57P01", "terminating connection due to administrator command"),
			Map.entry("57P02", "terminating connection due to crash of another server process"),
			Map.entry("57P03", "the database system is starting up"),
			Map.entry("25006", "cannot execute statement in a read-only transaction"),
			Map.entry("23505", "duplicate key value violates unique constraint"),
			Map.entry("23503", "insert or update violates foreign key constraint"),
			Map.entry("42P01", "relation does not exist"), Map.entry("08006", "connection failure"),
			Map.entry("08001", "could not establish connection"), Map.entry("08003", "connection does not exist"),
			Map.entry("XX000", "internal error"));

	private SqlStates() {
	}

	/**
	 * Return PostgreSQL's usual message for an SQLState.
	 * @param sqlState the SQLState
	 * @return the message
	 */
	static String defaultMessage(String sqlState) {
		return MESSAGES.getOrDefault(sqlState, "dbchaos injected error " + sqlState);
	}

	/**
	 * Return the severity PostgreSQL reports an SQLState with: FATAL for errors that end
	 * the session, ERROR for the rest.
	 * @param sqlState the SQLState
	 * @return the severity
	 */
	static String severity(String sqlState) {
		return (sqlState.startsWith("57P") || sqlState.startsWith("53300") || sqlState.startsWith("28")
				|| sqlState.startsWith("3D")) ? "FATAL" : "ERROR";
	}

}
