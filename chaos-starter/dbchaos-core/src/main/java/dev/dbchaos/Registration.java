package dev.dbchaos;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Something registered with dbchaos (a listener, a data source) that stays registered
 * until this is closed. Closing it more than once does nothing.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {

	/**
	 * Undo the registration.
	 */
	@Override
	void close();

	/**
	 * Return a registration that runs an action on its first {@link #close()} only.
	 * @param action what undoes the registration
	 * @return the registration
	 */
	static Registration of(Runnable action) {
		AtomicBoolean closed = new AtomicBoolean();
		return () -> {
			if (closed.compareAndSet(false, true)) {
				action.run();
			}
		};
	}

}
