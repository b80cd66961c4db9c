package dev.dbchaos.demo.database;

import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * The few statements of the shop that PostgreSQL and MariaDB spell differently;
 * everything else is written once, in SQL both accept. Chosen from the JDBC URL, so that
 * no connection is needed to know it: {@code jdbc:postgresql:} is PostgreSQL,
 * {@code jdbc:mariadb:} and {@code jdbc:mysql:} are MariaDB (MySQL takes the same
 * statements).
 */
public enum SqlDialect {

	/**
	 * PostgreSQL.
	 */
	POSTGRESQL {

		@Override
		public String insertUnlessDuplicate(String insert, String uniqueColumn) {
			return insert + "ON CONFLICT (" + uniqueColumn + ") DO NOTHING\n";
		}

		@Override
		public String secondsAgo(String seconds) {
			return "now() - make_interval(secs => " + seconds + ")";
		}

		/**
		 * {@inheritDoc}
		 * <p>
		 * None: PostgreSQL's foreign key check locks the referenced row {@code FOR KEY
		 * SHARE}, which does not hold up an {@code UPDATE} of its other columns.
		 */
		@Override
		public String lockReferencedRow() {
			return "";
		}

	},

	/**
	 * MariaDB, and MySQL.
	 */
	MARIADB {

		/**
		 * {@inheritDoc}
		 * <p>
		 * MariaDB has no {@code ON CONFLICT}: {@code INSERT IGNORE} skips a row whose key
		 * is taken, waiting for a concurrent insert of the same key as PostgreSQL does.
		 * {@code IGNORE} turns other errors of the row (foreign key, check) into warnings
		 * too, so the callers insert only rows that satisfy every other constraint:
		 * selected from the rows they refer to, with values checked beforehand.
		 * ({@code ON DUPLICATE KEY UPDATE} would not tell a skipped row from an inserted
		 * one: MariaDB Connector/J counts found rows, not changed ones.)
		 */
		@Override
		public String insertUnlessDuplicate(String insert, String uniqueColumn) {
			if (!insert.startsWith(INSERT_INTO)) {
				throw new IllegalArgumentException("Not an " + INSERT_INTO + " statement: " + insert);
			}
			return "INSERT IGNORE INTO" + insert.substring(INSERT_INTO.length());
		}

		@Override
		public String secondsAgo(String seconds) {
			// now(6): to the microsecond, as the columns and PostgreSQL's now() are.
			return "now(6) - INTERVAL " + seconds + " SECOND";
		}

		/**
		 * {@inheritDoc}
		 * <p>
		 * {@code FOR UPDATE}: InnoDB's foreign key check takes a shared lock on the
		 * referenced row, so two transactions that each insert a child and then update
		 * the row both hold it and both wait for the other to let go: a deadlock (1213)
		 * for every pair of concurrent buyers of one size. Taking the exclusive lock
		 * first makes them queue instead, as PostgreSQL's {@code UPDATE} does.
		 */
		@Override
		public String lockReferencedRow() {
			return "FOR UPDATE";
		}

	};

	private static final String INSERT_INTO = "INSERT INTO";

	/**
	 * Turn an {@code INSERT INTO ... SELECT ...} into one that inserts nothing, without
	 * failing, when the row's unique column holds the value already.
	 * @param insert the statement, starting with {@code INSERT INTO}
	 * @param uniqueColumn the unique column whose duplicates are skipped
	 * @return the statement in this dialect
	 */
	public abstract String insertUnlessDuplicate(String insert, String uniqueColumn);

	/**
	 * Return the expression for the database's current time minus a number of seconds.
	 * @param seconds the expression (a parameter) for the seconds, fractions allowed
	 * @return the expression in this dialect
	 */
	public abstract String secondsAgo(String seconds);

	/**
	 * Return the locking clause for the read, in an {@code INSERT ... SELECT}, of a row
	 * that the inserted row refers to and that the same transaction updates afterwards.
	 * @return the clause to end the {@code SELECT} with, possibly empty
	 */
	public abstract String lockReferencedRow();

	/**
	 * Return the dialect of the database a JDBC URL leads to.
	 * @param jdbcUrl the URL
	 * @return the dialect
	 * @throws IllegalStateException if the shop does not run on that database
	 */
	public static SqlDialect forJdbcUrl(String jdbcUrl) {
		return switch (DatabaseDriver.fromJdbcUrl(jdbcUrl)) {
			case POSTGRESQL -> POSTGRESQL;
			case MARIADB, MYSQL -> MARIADB;
			default -> throw new IllegalStateException(
					"The shop runs on PostgreSQL or MariaDB (jdbc:postgresql:, jdbc:mariadb:), not on " + jdbcUrl);
		};
	}

}
