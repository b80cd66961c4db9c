package dev.dbchaos.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of database failure dbchaos can inject. Each mirrors what the application
 * sees when a real database fails that way.
 *
 * @since 0.1.0
 */
public enum FaultType {

	/**
	 * The server is down: new connections are refused and open ones fail on their next
	 * use.
	 */
	OUTAGE("outage"),

	/**
	 * The server is frozen: calls block until the driver's socket timeout or until the
	 * rule ends.
	 */
	HANG("hang"),

	/**
	 * The server is slow: each matching call is delayed.
	 */
	LATENCY("latency"),

	/**
	 * The server answers with an error of a chosen SQLState.
	 */
	ERROR("error"),

	/**
	 * The server is read-only, as a hot standby after a failover: writes fail, reads
	 * succeed.
	 */
	READ_ONLY("read-only"),

	/**
	 * The network drops the connection after a commit reached the server: the commit is
	 * applied, the application gets the driver's connection-lost exception for it, and
	 * the connection is gone, so that it cannot tell whether its work was committed.
	 */
	AMBIGUOUS_COMMIT("ambiguous-commit"),

	/**
	 * The connection is lost while a query's rows stream in: {@code ResultSet.next()}
	 * throws the driver's connection-lost exception after a number of rows.
	 */
	RESULT_RESET("result-reset"),

	/**
	 * A real lock on a table, taken by dbchaos on a connection of its own beneath the
	 * pool and held while the fault is active, as a migration or a batch job holds one:
	 * the application's statements on the table wait on the server. A held fault.
	 */
	LOCK("lock"),

	/**
	 * Connections borrowed by dbchaos from the application's own pool and held while the
	 * fault is active, as slow work drains a pool: the application meets the pool's own
	 * behaviour when it is empty. A held fault.
	 */
	POOL_EXHAUSTION("pool-exhaustion");

	private final String id;

	FaultType(String id) {
		this.id = id;
	}

	/**
	 * Return the identifier used in JSON and properties, such as {@code read-only}.
	 * @return the identifier
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return whether this fault is an error the server reports, the connection staying
	 * usable.
	 * @return whether the fault is a server error
	 */
	public boolean isError() {
		return this == ERROR || this == READ_ONLY;
	}

	/**
	 * Return whether this fault is a resource dbchaos holds while the fault is active (a
	 * lock, borrowed connections) rather than a verdict on JDBC calls: such a fault never
	 * matches a call; the registry's {@link FaultHolder holders} take what it holds when
	 * it is added and release it when it ends.
	 * @return whether the fault is held
	 */
	public boolean isHeld() {
		return this == LOCK || this == POOL_EXHAUSTION;
	}

	/**
	 * Find the type with the given identifier, ignoring case and accepting {@code _} for
	 * {@code -}.
	 * @param id the identifier
	 * @return the type
	 * @throws IllegalArgumentException if no type has that identifier
	 */
	public static FaultType of(String id) {
		String normalized = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (FaultType type : values()) {
			if (type.id.equals(normalized)) {
				return type;
			}
		}
		throw new IllegalArgumentException("'" + id + "' is not a fault type; expected one of " + ids());
	}

	static String ids() {
		return Arrays.stream(values()).map(FaultType::id).collect(Collectors.joining(", "));
	}

	@Override
	public String toString() {
		return this.id;
	}

}
