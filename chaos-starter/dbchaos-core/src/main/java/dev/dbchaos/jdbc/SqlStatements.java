package dev.dbchaos.jdbc;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Tells reads from writes by the statement text, the way a read-only server does: only
 * what would fail with SQLState 25006 in a read-only transaction counts as a write.
 */
final class SqlStatements {

	private static final Set<String> WRITE_COMMANDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "CREATE",
			"ALTER", "DROP", "TRUNCATE", "GRANT", "REVOKE", "COMMENT", "REINDEX", "CLUSTER", "REFRESH", "VACUUM",
			"COPY", "IMPORT", "SECURITY");

	// Commands that name the kind of object they act on, as in "CREATE TABLE".
	private static final Set<String> OBJECT_COMMANDS = Set.of("CREATE", "ALTER", "DROP", "REFRESH");

	private static final Set<String> OBJECT_KINDS = Set.of("TABLE", "INDEX", "VIEW", "SEQUENCE", "SCHEMA", "FUNCTION",
			"PROCEDURE", "TYPE", "EXTENSION", "TRIGGER", "DATABASE", "ROLE", "USER", "DOMAIN", "POLICY");

	private static final Pattern DATA_MODIFYING = Pattern.compile("\\b(INSERT|UPDATE|DELETE|MERGE)\\b",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern LOCKING_READ = Pattern
		.compile("\\bFOR\\s+(NO\\s+KEY\\s+UPDATE|UPDATE|KEY\\s+SHARE|SHARE)\\b", Pattern.CASE_INSENSITIVE);

	private static final Pattern FROM = Pattern.compile("\\bFROM\\b", Pattern.CASE_INSENSITIVE);

	private static final Set<String> OBJECT_MODIFIERS = Set.of("OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY",
			"UNLOGGED", "GLOBAL", "LOCAL", "MATERIALIZED");

	private SqlStatements() {
	}

	/**
	 * Return whether the statement writes.
	 * @param sql the statement text, may be {@code null}
	 * @return whether it writes
	 */
	static boolean isWrite(@Nullable String sql) {
		if (sql == null) {
			return false;
		}
		// Checked on every call while a rule is active, so it avoids allocating for the
		// common statements; command() does the full job when a message needs the name.
		int start = skipInsignificant(sql, 0);
		if (startsWithWord(sql, start, "SELECT")) {
			return containsWord(sql, "FOR") && command(sql) != null;
		}
		if (startsWithWord(sql, start, "WITH") || startsWithWord(sql, start, "COPY")) {
			return command(sql) != null;
		}
		for (String write : WRITE_COMMANDS) {
			if (startsWithWord(sql, start, write)) {
				return true;
			}
		}
		return false;
	}

	private static boolean startsWithWord(String sql, int start, String word) {
		int end = start + word.length();
		return sql.regionMatches(true, start, word, 0, word.length())
				&& (end == sql.length() || !Character.isLetter(sql.charAt(end)));
	}

	private static boolean containsWord(String sql, String word) {
		int last = sql.length() - word.length();
		for (int i = 0; i <= last; i++) {
			if ((i == 0 || !Character.isLetter(sql.charAt(i - 1))) && startsWithWord(sql, i, word)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the name of the writing command, as PostgreSQL names it in its read-only
	 * error ("cannot execute INSERT in a read-only transaction").
	 * @param sql the statement text, may be {@code null}
	 * @return the command, or {@code null} if the statement does not write
	 */
	static @Nullable String command(@Nullable String sql) {
		if (sql == null) {
			return null;
		}
		int start = skipInsignificant(sql, 0);
		String first = word(sql, start);
		if (first.equals("WITH")) {
			Matcher modifying = DATA_MODIFYING.matcher(sql);
			return modifying.find() ? modifying.group(1).toUpperCase(Locale.ROOT) : null;
		}
		if (first.equals("SELECT")) {
			Matcher locking = LOCKING_READ.matcher(sql);
			return locking.find() ? "SELECT FOR " + locking.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ")
					: null;
		}
		if (first.equals("COPY")) {
			return FROM.matcher(sql).find() ? "COPY FROM" : null;
		}
		if (!WRITE_COMMANDS.contains(first)) {
			return null;
		}
		if (first.equals("TRUNCATE")) {
			return "TRUNCATE TABLE";
		}
		if (OBJECT_COMMANDS.contains(first)) {
			String object = objectKind(sql, skipInsignificant(sql, start + first.length()));
			return (object != null) ? first + " " + object : first;
		}
		return first;
	}

	private static @Nullable String objectKind(String sql, int from) {
		int position = from;
		for (int i = 0; i < 4; i++) {
			String next = word(sql, position);
			if (next.isEmpty()) {
				return null;
			}
			if (OBJECT_KINDS.contains(next)) {
				return (next.equals("VIEW") && sql.toUpperCase(Locale.ROOT).contains("MATERIALIZED"))
						? "MATERIALIZED VIEW" : next;
			}
			if (!OBJECT_MODIFIERS.contains(next)) {
				return null;
			}
			position = skipInsignificant(sql, position + next.length());
		}
		return null;
	}

	private static int skipInsignificant(String sql, int from) {
		int i = from;
		int length = sql.length();
		while (i < length) {
			char c = sql.charAt(i);
			if (Character.isWhitespace(c) || c == '(' || c == ';') {
				i++;
			}
			else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
				int end = sql.indexOf('\n', i);
				i = (end < 0) ? length : end + 1;
			}
			else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
				int end = sql.indexOf("*/", i + 2);
				i = (end < 0) ? length : end + 2;
			}
			else {
				break;
			}
		}
		return i;
	}

	/**
	 * Return what a read-only server's refusal names a statement that counts as a write:
	 * its {@link #command(String) command}, or, for a statement that writes whatever its
	 * text ({@code executeUpdate}, a batch) but whose command is not one of those known,
	 * its first word (a {@code CALL}, say); {@code "statement"} when there is no text.
	 * @param sql the statement text, may be {@code null}
	 * @return the name, never {@code null}
	 */
	static String refusedCommand(@Nullable String sql) {
		String command = command(sql);
		if (command != null) {
			return command;
		}
		String first = (sql != null) ? word(sql, skipInsignificant(sql, 0)) : "";
		return first.isEmpty() ? "statement" : first;
	}

	private static String word(String sql, int from) {
		int end = from;
		while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
			end++;
		}
		return sql.substring(from, end).toUpperCase(Locale.ROOT);
	}

}
