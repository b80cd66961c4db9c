package dev.dbchaos.jdbc;

/**
 * How a statement is executed, which decides how its operation is classified.
 */
enum ExecutionKind {

	/**
	 * {@code executeQuery}: a query, unless the text writes
	 * ({@code INSERT ... RETURNING}).
	 */
	QUERY,

	/**
	 * {@code executeUpdate} and {@code executeLargeUpdate}: always a write.
	 */
	UPDATE,

	/**
	 * {@code execute}: classified by the statement text.
	 */
	EXECUTE,

	/**
	 * {@code executeBatch}: always a write.
	 */
	BATCH

}
