package dev.dbchaos.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SqlStatements}.
 */
class SqlStatementsTests {

	@Test
	void readsAreNotWrites() {
		assertThat(SqlStatements.isWrite("select * from sneakers")).isFalse();
		assertThat(SqlStatements.isWrite("  (SELECT 1)")).isFalse();
		assertThat(SqlStatements.isWrite("with s as (select 1) select * from s")).isFalse();
		assertThat(SqlStatements.isWrite("SHOW transaction_read_only")).isFalse();
		assertThat(SqlStatements.isWrite("COPY orders TO STDOUT")).isFalse();
		assertThat(SqlStatements.isWrite(null)).isFalse();
	}

	@Test
	void writesAreNamedAsPostgresNamesThem() {
		assertThat(SqlStatements.command("insert into orders values (1)")).isEqualTo("INSERT");
		assertThat(SqlStatements.command("UPDATE stock SET quantity = 1")).isEqualTo("UPDATE");
		assertThat(SqlStatements.command("delete from orders")).isEqualTo("DELETE");
		assertThat(SqlStatements.command("create table t (id int)")).isEqualTo("CREATE TABLE");
		assertThat(SqlStatements.command("CREATE UNIQUE INDEX i ON t (id)")).isEqualTo("CREATE INDEX");
		assertThat(SqlStatements.command("drop table t")).isEqualTo("DROP TABLE");
		assertThat(SqlStatements.command("truncate t")).isEqualTo("TRUNCATE TABLE");
	}

	@Test
	void aWriteWhoseCommandIsUnknownIsRefusedByItsFirstWord() {
		assertThat(SqlStatements.refusedCommand("insert into orders values (1)")).isEqualTo("INSERT");
		assertThat(SqlStatements.refusedCommand("call restock(1)")).isEqualTo("CALL");
		assertThat(SqlStatements.refusedCommand("  -- why\n  select 1")).isEqualTo("SELECT");
		assertThat(SqlStatements.refusedCommand("?")).isEqualTo("statement");
		assertThat(SqlStatements.refusedCommand(null)).isEqualTo("statement");
	}

	@Test
	void leadingCommentsAreSkipped() {
		assertThat(SqlStatements.command("/* app */ -- note\n insert into t values (1)")).isEqualTo("INSERT");
	}

	@Test
	void dataModifyingCteIsAWrite() {
		assertThat(SqlStatements.command("with o as (insert into orders values (1) returning id) select * from o"))
			.isEqualTo("INSERT");
	}

	@Test
	void lockingReadIsAWrite() {
		assertThat(SqlStatements.command("select * from stock where id = 1 for update")).isEqualTo("SELECT FOR UPDATE");
		assertThat(SqlStatements.command("select * from stock for no key update"))
			.isEqualTo("SELECT FOR NO KEY UPDATE");
	}

	@Test
	void quickCheckAgreesWithTheFullClassification() {
		String[] statements = { "select 1", "SELECT * FROM t FOR UPDATE", "select format from t", "select * from forms",
				"insert into t values (1)", "  update t set a = 1", "Delete from t",
				"with x as (select 1) select * from x", "with x as (delete from t returning *) select * from x",
				"copy t from stdin", "copy t to stdout", "create table t (a int)", "truncate t", "show all",
				"values (1)", "begin", "commit", "set search_path = x", "insertion", "" };
		for (String sql : statements) {
			assertThat(SqlStatements.isWrite(sql)).as(sql).isEqualTo(SqlStatements.command(sql) != null);
		}
	}

}
