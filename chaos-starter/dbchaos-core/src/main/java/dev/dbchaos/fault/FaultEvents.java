package dev.dbchaos.fault;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.dbchaos.Registration;

/**
 * The listeners of one registry, and the telling of each event to each of them. A
 * listener that throws is logged (logger {@code dev.dbchaos}) and the others are still
 * told, so that no listener can change the outcome of a JDBC call or of a change to the
 * rules.
 */
final class FaultEvents {

	private static final Logger logger = System.getLogger("dev.dbchaos");

	private final List<FaultListener> listeners = new CopyOnWriteArrayList<>();

	Registration add(FaultListener listener) {
		this.listeners.add(listener);
		return Registration.of(() -> this.listeners.remove(listener));
	}

	void added(FaultRule rule) {
		tell("added", (listener) -> listener.added(rule));
	}

	void removed(FaultRule rule, RemovalReason reason) {
		tell("removed", (listener) -> listener.removed(rule, reason));
	}

	void injected(FaultRule rule, JdbcCall call) {
		tell("injected", (listener) -> listener.injected(rule, call));
	}

	void delayed(FaultRule rule, JdbcCall call, Duration delay) {
		tell("delayed", (listener) -> listener.delayed(rule, call, delay));
	}

	/**
	 * Tell every listener, each on its own.
	 * @param event the event's name, quoted in the warning about a failing listener
	 * @param notification what to tell each listener
	 */
	private void tell(String event, Consumer<FaultListener> notification) {
		for (FaultListener listener : this.listeners) {
			try {
				notification.accept(listener);
			}
			catch (VirtualMachineError ex) {
				throw ex;
			}
			catch (Throwable ex) {
				logger.log(Level.WARNING, "dbchaos fault listener " + listener + " failed on '" + event
						+ "'; ignored, the call goes on as without it", ex);
			}
		}
	}

}
