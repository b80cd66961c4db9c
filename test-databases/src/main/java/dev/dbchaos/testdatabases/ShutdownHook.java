package dev.dbchaos.testdatabases;

import java.util.function.Supplier;

/**
 * Closes a server a test started when the JVM exits, if nobody closed it before: a server
 * outlives the JVM that started it otherwise. Registered at most once, and removed when
 * the server is closed the ordinary way.
 */
final class ShutdownHook {

	private final Thread thread;

	private boolean registered;

	/**
	 * Create a hook, not registered yet.
	 * @param name the hook thread's name
	 * @param close what closes the server
	 * @param server the server, as messages name it
	 */
	ShutdownHook(String name, Runnable close, Supplier<String> server) {
		this.thread = new Thread(() -> {
			try {
				close.run();
			}
			catch (Throwable ex) {
				// Too late to report to anyone but the console.
				System.err.println("dbchaos: could not close " + server.get() + ": " + ex);
			}
		}, name);
	}

	synchronized void register() {
		if (!this.registered) {
			Runtime.getRuntime().addShutdownHook(this.thread);
			this.registered = true;
		}
	}

	synchronized void remove() {
		if (!this.registered) {
			return;
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.thread);
			this.registered = false;
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down: the hook is what is closing the server.
		}
	}

}
