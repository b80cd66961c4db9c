package dev.dbchaos.demo;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A result and how long it took to get it.
 *
 * @param <T> the result type
 * @param result the result
 * @param elapsed how long the call took
 */
public record Timed<T>(T result, Duration elapsed) {

	/**
	 * Make a call and time it.
	 * @param <T> the result type
	 * @param call the call
	 * @return the result and the time taken
	 */
	public static <T> Timed<T> call(Supplier<T> call) {
		long start = System.nanoTime();
		T result = call.get();
		return new Timed<>(result, Duration.ofNanos(System.nanoTime() - start));
	}

}
