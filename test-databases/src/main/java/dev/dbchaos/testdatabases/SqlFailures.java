package dev.dbchaos.testdatabases;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * How a failed JDBC call looks to the application, field by field: what the fidelity
 * tests compare between a real failure of a real server and an injected one. Written once
 * for every such comparison (the engine's {@code FidelityIT}, the Spring Boot 4
 * sample's).
 */
public final class SqlFailures {

	private static final int CHAIN_LIMIT = 5;

	private SqlFailures() {
	}

	/**
	 * Every field of a failure an application can read, by name.
	 * @param ex the failure
	 * @return the fields, in a stable order
	 */
	public static Map<String, String> fields(SQLException ex) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("exception", ex.getClass().getSimpleName());
		fields.put("SQLState", String.valueOf(ex.getSQLState()));
		fields.put("vendor code", String.valueOf(ex.getErrorCode()));
		fields.put("message", String.valueOf(ex.getMessage()));
		fields.put("server error", serverError(ex));
		fields.put("server error detail, hint, where", serverErrorContext(ex));
		fields.put("server error source location", serverErrorLocation(ex));
		fields.put("next exceptions", nextExceptions(ex));
		fields.put("cause", causes(ex));
		return fields;
	}

	/**
	 * One line for a failure: class, SQLState and message.
	 * @param ex the failure, or {@code null}
	 * @return the line; "no exception" for {@code null}
	 */
	public static String describe(SQLException ex) {
		if (ex == null) {
			return "no exception";
		}
		return ex.getClass().getSimpleName() + " " + ex.getSQLState() + " \"" + ex.getMessage() + "\"";
	}

	/**
	 * The exceptions chained with {@link SQLException#getNextException()}, the first
	 * five.
	 * @param ex the failure
	 * @return them, or "none"
	 */
	public static String nextExceptions(SQLException ex) {
		List<String> chain = new ArrayList<>();
		for (SQLException next = ex.getNextException(); next != null
				&& chain.size() < CHAIN_LIMIT; next = next.getNextException()) {
			chain.add(describe(next) + ((next.getCause() != null) ? " caused by " + causes(next) : ""));
		}
		return chain.isEmpty() ? "none" : String.join("; ", chain);
	}

	/**
	 * The failure's causes, the first five.
	 * @param ex the failure
	 * @return them, or "none"
	 */
	public static String causes(Throwable ex) {
		List<String> chain = new ArrayList<>();
		for (Throwable cause = ex.getCause(); cause != null && chain.size() < CHAIN_LIMIT; cause = cause.getCause()) {
			chain.add((cause instanceof SQLException sql) ? describe(sql) : cause.getClass().getSimpleName()
					+ ((cause.getMessage() != null) ? " \"" + cause.getMessage() + "\"" : ""));
		}
		return chain.isEmpty() ? "none" : String.join(" → ", chain);
	}

	/**
	 * A description with a reset connection read as a closed one. After a server ends a
	 * session, its socket reads as closed (EOFException) or, when the client wrote first,
	 * as reset (SocketException "Connection reset"), from one run to the next; an
	 * injected failure gives the first. Comparisons of real and injected failures apply
	 * this to both sides.
	 * @param description a description from this class
	 * @return it, with a reset read as end of stream
	 */
	public static String withResetAsEndOfStream(String description) {
		return description.replace("caused by SocketException \"Connection reset\"", "caused by EOFException");
	}

	private static String serverError(SQLException ex) {
		ServerErrorMessage error = serverErrorMessage(ex);
		return (error != null) ? error.getSeverity() + " " + error.getSQLState() + " \"" + error.getMessage() + "\""
				: "none";
	}

	private static String serverErrorContext(SQLException ex) {
		ServerErrorMessage error = serverErrorMessage(ex);
		return (error != null) ? error.getDetail() + ", " + error.getHint() + ", " + error.getWhere() : "none";
	}

	private static String serverErrorLocation(SQLException ex) {
		ServerErrorMessage error = serverErrorMessage(ex);
		return (error != null) ? error.getRoutine() + " in " + error.getFile() + ":" + error.getLine() : "none";
	}

	/**
	 * What the server said, also when the pool wrapped the driver's exception.
	 * @param ex the failure, as the driver or the pool threw it
	 * @return the server's error message from the first PostgreSQL exception in the cause
	 * chain that has one, or {@code null}
	 */
	private static ServerErrorMessage serverErrorMessage(SQLException ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
				return psql.getServerErrorMessage();
			}
		}
		return null;
	}

}
