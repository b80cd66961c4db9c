package dev.dbchaos.it.support;

import java.time.Duration;

/**
 * The time bounds the demo service documents (its README and
 * {@code application.properties}), which the scenarios hold it to. Kept in one place so
 * that a change of the demo's settings shows up here as a failing scenario, not as a
 * silently widened margin.
 */
public final class ShopBounds {

	/** Hikari {@code connectionTimeout}: the longest a request waits for a connection. */
	public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * The driver's {@code socketTimeout} (PgJDBC's 5 s, MariaDB Connector/J's 5000 ms in
	 * the {@code mariadb} profile): the longest a statement waits for a frozen server.
	 */
	public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * PgJDBC {@code cancelSignalTimeout}: when the statement timeout fires as well, the
	 * statement also waits this long for its cancel, which a frozen server never answers.
	 * (MariaDB's statement timeout is the server's own {@code max_statement_time}: no
	 * cancel to wait for, so this only widens its bound.)
	 */
	public static final Duration CANCEL_SIGNAL_TIMEOUT = Duration.ofSeconds(1);

	/** The circuit breaker's slow-call threshold. */
	public static final Duration SLOW_CALL = Duration.ofSeconds(2);

	/** How long the open circuit breaker refuses calls before trying again. */
	public static final Duration OPEN_STATE = Duration.ofSeconds(5);

	/**
	 * Scheduling, HTTP and JSON on a busy 2-core machine, added to each bound: large
	 * enough to absorb a GC pause, far smaller than any timeout it is added to.
	 */
	public static final Duration SLACK = Duration.ofMillis(1500);

	/**
	 * A stopped server: Hikari gives up after its connection timeout (the demo says "503
	 * within 2 s").
	 */
	public static final Duration STOPPED = CONNECTION_TIMEOUT.plus(SLACK);

	/**
	 * A frozen server: a statement on a connection already open waits out the socket
	 * timeout, which is not retried (see the demo's {@code DatabaseFailures}), and the
	 * cancel of the statement that timed out with it.
	 */
	public static final Duration FROZEN = SOCKET_TIMEOUT.plus(CANCEL_SIGNAL_TIMEOUT).plus(SLACK);

	/**
	 * The open circuit answers without asking for a connection: sooner than the
	 * connection timeout it spares the caller. (How much sooner is a benchmark's
	 * question, not a bound a busy machine can be held to.)
	 */
	public static final Duration CIRCUIT_OPEN = CONNECTION_TIMEOUT;

	/**
	 * The shopper page is rendered from memory: it answers sooner than the shortest
	 * database timeout, whatever the database does, as it never waits for one. (How fast
	 * it is, is a benchmark's question.)
	 */
	public static final Duration PAGE = CONNECTION_TIMEOUT;

	private ShopBounds() {
	}

}
