package dev.dbchaos.demo.database;

import java.util.function.Predicate;

/**
 * The failure predicate of the {@code database} circuit breaker, named in
 * {@code application.properties}. Business outcomes such as "sold out" are a database
 * that answered, so they count as successes.
 *
 * @see DatabaseFailures#isUnavailable(Throwable)
 */
public class RecordDatabaseUnavailable implements Predicate<Throwable> {

	@Override
	public boolean test(Throwable failure) {
		return DatabaseFailures.isUnavailable(failure);
	}

}
