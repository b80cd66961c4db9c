package dev.dbchaos.benchmarks.recovery;

/**
 * How the database is taken away in a trial.
 */
public enum Outage {

	/**
	 * The PostgreSQL server is stopped ({@code pg_ctl stop -m fast}) and started again;
	 * restored when {@code ManagedPostgres.start()} returns, that is once the server
	 * answers queries.
	 */
	REAL("real restart"),

	/**
	 * An unscoped {@code outage} rule, beneath HikariCP: new connections are refused and
	 * open ones fail on their next use; restored when {@code FaultRegistry.remove}
	 * returns.
	 */
	INJECTED("injected outage");

	private final String description;

	Outage(String description) {
		this.description = description;
	}

	/**
	 * Return how the outage is described in the report.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

}
