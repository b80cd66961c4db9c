package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import dev.dbchaos.Registration;
import dev.dbchaos.fault.FaultHolder;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * Holds the connections of a pool-exhaustion fault: borrowed from the application's own
 * pool (the pool bean, above dbchaos's proxy), as slow work would borrow them, and
 * returned to it when the fault ends, so that the application meets the pool's real
 * behaviour when it is empty and the pool's active count goes back to what it was.
 * <p>
 * The connections are borrowed on a thread of the fault's own, one at a time, as the pool
 * hands them out: connections the application has borrowed are taken as soon as it
 * returns them, and a borrow the pool refuses (its timeout, a fault on connect) is tried
 * again. Registered by the Spring Boot auto-configuration for each pool it knows the size
 * of: <pre class="code">
 * registry.addHolder(FaultType.POOL_EXHAUSTION, "dataSource",
 *         new PoolExhaustion(hikari, hikari::getMaximumPoolSize));
 * </pre>
 *
 * @since 0.1.0
 */
public final class PoolExhaustion implements FaultHolder {

	/**
	 * How long the borrowing thread pauses after the pool refused a connection at once,
	 * so that a pool failing fast is not asked in a busy loop.
	 */
	private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

	private final DataSource pool;

	private final IntSupplier maximumPoolSize;

	/**
	 * Create the holder of one pool's pool-exhaustion faults.
	 * @param pool the pool, as the application borrows from it
	 * @param maximumPoolSize the pool's maximum number of connections, which a fault's
	 * {@code connections} may not exceed and which it holds when it gives none
	 */
	public PoolExhaustion(DataSource pool, IntSupplier maximumPoolSize) {
		this.pool = pool;
		this.maximumPoolSize = maximumPoolSize;
	}

	@Override
	public Registration hold(FaultRule rule) {
		int maximum = this.maximumPoolSize.getAsInt();
		Integer connections = rule.getSpec().getConnections();
		if (connections == null && maximum < 1) {
			throw new InvalidFaultException("connections",
					"is required: the pool's maximum size is not bounded (" + maximum + ")");
		}
		int wanted = (connections != null) ? connections : maximum;
		if (maximum > 0 && wanted > maximum) {
			throw new InvalidFaultException("connections",
					"must not exceed the pool's maximum of " + maximum + " connections, was " + wanted);
		}
		Borrower borrower = new Borrower(wanted);
		Thread thread = new Thread(borrower, "dbchaos-" + FaultType.POOL_EXHAUSTION.id() + "-" + rule.getId());
		thread.setDaemon(true);
		borrower.thread = thread;
		thread.start();
		return Registration.of(borrower::release);
	}

	@Override
	public String toString() {
		return "PoolExhaustion[" + this.pool + "]";
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// A pool returns a broken connection to itself on close even when it throws.
		}
	}

	/**
	 * Borrows until it holds its connections or is released; returns every connection it
	 * borrowed when released, including one the pool hands it after that.
	 */
	private final class Borrower implements Runnable {

		private final int wanted;

		// Guarded by this.
		private final List<Connection> held = new ArrayList<>();

		// Guarded by this.
		private boolean released;

		private volatile Thread thread;

		Borrower(int wanted) {
			this.wanted = wanted;
		}

		@Override
		public void run() {
			while (needsMore()) {
				Connection connection;
				try {
					connection = PoolExhaustion.this.pool.getConnection();
				}
				catch (SQLException ex) {
					// The pool timed out or failed: try again, as the slow work would.
					if (!pause()) {
						return;
					}
					continue;
				}
				if (!keep(connection)) {
					closeQuietly(connection);
					return;
				}
			}
		}

		private synchronized boolean needsMore() {
			return !this.released && this.held.size() < this.wanted;
		}

		private synchronized boolean keep(Connection connection) {
			if (this.released) {
				return false;
			}
			this.held.add(connection);
			return true;
		}

		private boolean pause() {
			try {
				Thread.sleep(RETRY_PAUSE.toMillis());
				return true;
			}
			catch (InterruptedException ex) {
				return false;
			}
		}

		void release() {
			List<Connection> returned;
			synchronized (this) {
				this.released = true;
				returned = new ArrayList<>(this.held);
				this.held.clear();
			}
			// A borrow under way ends at once; what it gets is returned by run().
			this.thread.interrupt();
			returned.forEach(PoolExhaustion::closeQuietly);
		}

	}

}
