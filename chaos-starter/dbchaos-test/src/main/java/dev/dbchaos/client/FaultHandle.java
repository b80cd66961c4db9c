package dev.dbchaos.client;

/**
 * An injected fault. Closing the handle removes the fault, so a try-with-resources block
 * bounds it: <pre class="code">
 * try (FaultHandle outage = client.inject(Fault.outage())) {
 *     // the database is down in here
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class FaultHandle implements AutoCloseable {

	private final DbChaosClient client;

	private final String id;

	FaultHandle(DbChaosClient client, String id) {
		this.client = client;
		this.id = id;
	}

	/**
	 * Return the id the endpoint gave the fault.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * Remove the fault. Does nothing if it already ended (expired, used up or removed).
	 */
	@Override
	public void close() {
		this.client.remove(this.id);
	}

}
