package dev.dbchaos.fault;

/**
 * A JDBC call a fault rule may apply to.
 *
 * @param operation what kind of call it is
 * @param sql the statement text, or {@code null} when there is none (connect, commit)
 * @param write whether the statement writes, for read-only faults
 * @param dataSource the name of the data source the call goes through
 * @since 0.1.0
 */
public record JdbcCall(Operation operation, String sql, boolean write, String dataSource) {

}
