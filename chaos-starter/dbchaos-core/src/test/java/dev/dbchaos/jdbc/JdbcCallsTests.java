package dev.dbchaos.jdbc;

import org.junit.jupiter.api.Test;

import dev.dbchaos.fault.CallKind;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.fault.Operation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcCalls}: a statement run again is handed the call made for it
 * before, and every call is classified as if it were made afresh.
 */
class JdbcCallsTests {

	private final JdbcCalls calls = new JdbcCalls("orders");

	@Test
	void aWriteInAutoCommitModeCommitsAndIsHandedOutAgain() {
		String insert = "insert into orders values (1)";
		JdbcCall write = this.calls.statement(insert, ExecutionKind.UPDATE);
		JdbcCall committing = this.calls.inAutoCommit(write);
		assertThat(write.commits()).isFalse();
		assertThat(committing)
			.isEqualTo(new JdbcCall(Operation.UPDATE, insert, true, "orders", CallKind.APPLICATION, true));
		assertThat(this.calls.inAutoCommit(this.calls.statement(insert, ExecutionKind.EXECUTE))).isSameAs(committing);
		assertThat(this.calls.inAutoCommit(this.calls.statement(null, ExecutionKind.BATCH)).commits()).isTrue();
		assertThat(this.calls.commit().commits()).isTrue();
	}

	@Test
	void aStatementRunAgainGetsTheSameCall() {
		String sql = "select * from sneakers";
		JdbcCall first = this.calls.statement(sql, ExecutionKind.QUERY);
		assertThat(this.calls.statement(sql, ExecutionKind.QUERY)).isSameAs(first);
		assertThat(this.calls.statement(new String(sql.toCharArray()), ExecutionKind.EXECUTE)).isSameAs(first);
		assertThat(first).isEqualTo(new JdbcCall(Operation.QUERY, sql, false, "orders"));
	}

	@Test
	void statementsAreClassifiedByTheirTextUnlessTheyAreRunAsWrites() {
		String select = "select * from sneakers";
		String insert = "insert into orders values (1) returning id";
		assertThat(this.calls.statement(insert, ExecutionKind.QUERY))
			.isEqualTo(new JdbcCall(Operation.UPDATE, insert, true, "orders"));
		assertThat(this.calls.statement(select, ExecutionKind.QUERY))
			.isEqualTo(new JdbcCall(Operation.QUERY, select, false, "orders"));
		assertThat(this.calls.statement(select, ExecutionKind.UPDATE))
			.isEqualTo(new JdbcCall(Operation.UPDATE, select, true, "orders"));
		assertThat(this.calls.statement(select, ExecutionKind.BATCH))
			.isEqualTo(new JdbcCall(Operation.UPDATE, select, true, "orders"));
		assertThat(this.calls.statement(select, ExecutionKind.EXECUTE))
			.isEqualTo(new JdbcCall(Operation.QUERY, select, false, "orders"));
	}

	@Test
	void aStatementOfUnknownTextIsAReadUnlessRunAsAWrite() {
		assertThat(this.calls.statement(null, ExecutionKind.QUERY))
			.isEqualTo(new JdbcCall(Operation.QUERY, null, false, "orders"));
		assertThat(this.calls.statement(null, ExecutionKind.BATCH))
			.isEqualTo(new JdbcCall(Operation.UPDATE, null, true, "orders"));
	}

	@Test
	void manyTextsEachGetTheirOwnCall() {
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < 1000; i++) {
				String sql = "select " + i;
				assertThat(this.calls.statement(sql, ExecutionKind.QUERY).sql()).isEqualTo(sql);
				assertThat(this.calls.statement(sql, ExecutionKind.UPDATE))
					.isEqualTo(new JdbcCall(Operation.UPDATE, sql, true, "orders"));
			}
		}
	}

	@Test
	void callsWithoutTextAreMadeOnce() {
		assertThat(this.calls.connect()).isEqualTo(new JdbcCall(Operation.CONNECT, null, false, "orders"))
			.isSameAs(this.calls.connect());
		assertThat(this.calls.commit()).isEqualTo(new JdbcCall(Operation.COMMIT, null, false, "orders"));
		assertThat(this.calls.rollback())
			.isEqualTo(new JdbcCall(Operation.ANY, null, false, "orders", CallKind.ROLLBACK));
		assertThat(this.calls.validation(false)).isEqualTo(new JdbcCall(Operation.ANY, null, false, "orders"));
		assertThat(this.calls.validation(true))
			.isEqualTo(new JdbcCall(Operation.ANY, null, false, "orders", CallKind.POOL_VALIDATION));
	}

}
