package dev.dbchaos.demo.database;

import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs units of work against the database behind the {@code database} circuit breaker
 * and, where asked, the {@code database} retry. Each attempt is a transaction of its own,
 * so a retry never continues a transaction whose connection died.
 * <p>
 * The circuit breaker is shared by everything that talks to the database: once a dead
 * database has failed enough calls, every caller gets an immediate
 * {@link DatabaseUnavailableException} instead of waiting out Hikari's connection timeout
 * in a queue of blocked threads.
 */
@Component
public class Database {

	/**
	 * The name of the circuit breaker and of the retry in the Resilience4j configuration.
	 */
	public static final String NAME = "database";

	private final CircuitBreakerRegistry circuitBreakers;

	private final RetryRegistry retries;

	private final TransactionTemplate transactions;

	public Database(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries, TransactionTemplate transactions) {
		this.circuitBreakers = circuitBreakers;
		this.retries = retries;
		this.transactions = transactions;
	}

	/**
	 * Run a read or an idempotent write in a transaction, retrying on transient failures.
	 * @param <T> the result type
	 * @param what what is being done, for the error message ("release the sneaker")
	 * @param work the work
	 * @return the result of the work
	 * @throws DatabaseUnavailableException if the database is unavailable
	 */
	public <T> T inTransaction(String what, TransactionCallback<T> work) {
		Supplier<T> attempt = CircuitBreaker.decorateSupplier(circuitBreaker(),
				() -> this.transactions.execute(work::doInTransaction));
		return guard(what, Retry.decorateSupplier(retry(), attempt));
	}

	/**
	 * Run a read once, without retrying; for callers that will simply ask again later.
	 * @param <T> the result type
	 * @param what what is being done, for the error message
	 * @param work the work
	 * @return the result of the work
	 * @throws DatabaseUnavailableException if the database is unavailable
	 */
	public <T> T once(String what, TransactionCallback<T> work) {
		return guard(what, CircuitBreaker.decorateSupplier(circuitBreaker(),
				() -> this.transactions.execute(work::doInTransaction)));
	}

	/**
	 * Return the state of the circuit breaker, for pages and tests.
	 * @return the state
	 */
	public CircuitBreaker.State circuitState() {
		return circuitBreaker().getState();
	}

	// Looked up on every call rather than kept, so that with
	// dbchaos.scope.isolate-resilience4j=true a scoped chaos test gets its scope's own
	// breaker.
	private CircuitBreaker circuitBreaker() {
		return this.circuitBreakers.circuitBreaker(NAME, NAME);
	}

	private Retry retry() {
		return this.retries.retry(NAME, NAME);
	}

	private <T> T guard(String what, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (CallNotPermittedException ex) {
			throw new DatabaseUnavailableException(
					"The database is unavailable (circuit breaker open), could not " + what, ex);
		}
		catch (RuntimeException ex) {
			if (DatabaseFailures.isUnavailable(ex)) {
				throw new DatabaseUnavailableException("The database is unavailable, could not " + what, ex);
			}
			throw ex;
		}
	}

	/**
	 * Work done in a transaction.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	public interface TransactionCallback<T> {

		/**
		 * Do the work.
		 * @param status the transaction, to mark for rollback
		 * @return the result
		 */
		T doInTransaction(TransactionStatus status);

	}

}
