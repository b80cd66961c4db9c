package dev.dbchaos.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fault to inject through a {@link DbChaosClient}, with the same fields as the endpoint takes.
 * <pre class="code">
 * client.inject(Fault.latency(Duration.ofMillis(250)).operation("query").probability(0.5));
 * </pre>
 *
 * @author dbchaos
 */
public final class Fault {

	private final Map<String, Object> fields = new LinkedHashMap<>();

	private Fault(String type) {
		this.fields.put("type", type);
	}

	/**
	 * The database goes away.
	 * @return the fault
	 */
	public static Fault outage() {
		return new Fault("outage");
	}

	/**
	 * The database freezes.
	 * @return the fault
	 */
	public static Fault hang() {
		return new Fault("hang");
	}

	/**
	 * The database gets slow.
	 * @param delay how much slower each matching call gets
	 * @return the fault
	 */
	public static Fault latency(Duration delay) {
		return new Fault("latency").with("delay", delay);
	}

	/**
	 * The database answers with an error.
	 * @param sqlState the SQLState of the error
	 * @return the fault
	 */
	public static Fault error(String sqlState) {
		return new Fault("error").with("sqlState", sqlState);
	}

	/**
	 * The database turns read-only.
	 * @return the fault
	 */
	public static Fault readOnly() {
		return new Fault("read-only");
	}

	public Fault operation(String operation) {
		return with("operation", operation);
	}

	public Fault sql(String regex) {
		return with("sql", regex);
	}

	public Fault dataSource(String beanName) {
		return with("dataSource", beanName);
	}

	public Fault probability(double probability) {
		return with("probability", probability);
	}

	public Fault count(int count) {
		return with("count", count);
	}

	public Fault duration(Duration duration) {
		return with("duration", duration);
	}

	public Fault scope(String scope) {
		return with("scope", scope);
	}

	public Fault id(String id) {
		return with("id", id);
	}

	public Fault jitter(Duration jitter) {
		return with("jitter", jitter);
	}

	public Fault message(String message) {
		return with("message", message);
	}

	String scope() {
		return (String) this.fields.get("scope");
	}

	/**
	 * Return a copy of this fault limited to a scope, leaving this one as it is.
	 */
	Fault copyWithScope(String scope) {
		Fault copy = new Fault((String) this.fields.get("type"));
		copy.fields.putAll(this.fields);
		return copy.scope(scope);
	}

	private Fault with(String field, Object value) {
		this.fields.put(field, value);
		return this;
	}

	/**
	 * Return the JSON body the endpoint takes for this fault.
	 * @return the JSON
	 */
	public String toJson() {
		StringBuilder json = new StringBuilder("{");
		this.fields.forEach((name, value) -> {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append(Json.quote(name)).append(':');
			if (value instanceof Number) {
				json.append(value);
			}
			else if (value instanceof Duration duration) {
				json.append(Json.quote(duration.toMillis() + "ms"));
			}
			else {
				json.append(Json.quote(String.valueOf(value)));
			}
		});
		return json.append('}').toString();
	}

	@Override
	public String toString() {
		return toJson();
	}

}
