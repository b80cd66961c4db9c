package dev.dbchaos.demo.database;

import java.util.function.Predicate;

/**
 * The retry predicate of the {@code database} retry, named in
 * {@code application.properties}.
 *
 * @see DatabaseFailures#isTransient(Throwable)
 */
public class RetryOnTransientDatabaseError implements Predicate<Throwable> {

	@Override
	public boolean test(Throwable failure) {
		return DatabaseFailures.isTransient(failure);
	}

}
