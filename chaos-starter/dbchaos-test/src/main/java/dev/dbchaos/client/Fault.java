package dev.dbchaos.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultType;

/**
 * A fault to inject through a {@link DbChaosClient}, with the same fields as the endpoint
 * takes: those of {@link FaultField#all()}, by their names and in their JSON form.
 * <pre class="code">
 * client.inject(Fault.latency(Duration.ofMillis(250)).operation("query").probability(0.5));
 * </pre>
 *
 * @since 0.1.0
 */
public final class Fault {

	private final Map<FaultField<?>, Object> fields = new LinkedHashMap<>();

	private Fault(FaultType type) {
		with(FaultField.TYPE, type);
	}

	/**
	 * The database goes away.
	 * @return the fault
	 */
	public static Fault outage() {
		return new Fault(FaultType.OUTAGE);
	}

	/**
	 * The database freezes.
	 * @return the fault
	 */
	public static Fault hang() {
		return new Fault(FaultType.HANG);
	}

	/**
	 * The database gets slow.
	 * @param delay how much slower each matching call gets
	 * @return the fault
	 */
	public static Fault latency(Duration delay) {
		return new Fault(FaultType.LATENCY).with(FaultField.DELAY, delay);
	}

	/**
	 * The database answers with an error.
	 * @param sqlState the SQLState of the error
	 * @return the fault
	 */
	public static Fault error(String sqlState) {
		return new Fault(FaultType.ERROR).with(FaultField.SQL_STATE, sqlState);
	}

	/**
	 * The database turns read-only.
	 * @return the fault
	 */
	public static Fault readOnly() {
		return new Fault(FaultType.READ_ONLY);
	}

	/**
	 * The network drops the connection after a commit reached the server: the commit is
	 * applied, its reply is lost.
	 * @return the fault
	 */
	public static Fault ambiguousCommit() {
		return new Fault(FaultType.AMBIGUOUS_COMMIT);
	}

	/**
	 * The connection is lost while a query's rows stream in.
	 * @param afterRows how many rows the result hands out before it breaks
	 * @return the fault
	 */
	public static Fault resultReset(int afterRows) {
		return new Fault(FaultType.RESULT_RESET).with(FaultField.AFTER_ROWS, afterRows);
	}

	/**
	 * A real lock on a table, held by dbchaos while the fault is active, as a migration
	 * holds one; in the database's strongest mode unless {@link #mode(String)} says
	 * otherwise.
	 * @param table the table, such as {@code stock}
	 * @return the fault
	 */
	public static Fault lock(String table) {
		return new Fault(FaultType.LOCK).with(FaultField.TABLE, table);
	}

	/**
	 * Every connection of the application's pool borrowed and held by dbchaos while the
	 * fault is active; {@link #connections(int)} holds fewer.
	 * @return the fault
	 */
	public static Fault poolExhaustion() {
		return new Fault(FaultType.POOL_EXHAUSTION);
	}

	/**
	 * Set the mode a lock fault locks its table in.
	 * @param mode such as {@code share} (PostgreSQL) or {@code read} (MariaDB)
	 * @return this fault
	 */
	public Fault mode(String mode) {
		return with(FaultField.MODE, mode);
	}

	/**
	 * Set how many connections a pool-exhaustion fault holds.
	 * @param connections how many, at most the pool's maximum
	 * @return this fault
	 */
	public Fault connections(int connections) {
		return with(FaultField.CONNECTIONS, connections);
	}

	/**
	 * Limit the fault to one kind of JDBC call.
	 * @param operation the operation's id, such as {@code query}
	 * @return this fault
	 * @see FaultField#OPERATION
	 */
	public Fault operation(String operation) {
		// As written: the endpoint, not the client, says whether it is one.
		return put(FaultField.OPERATION, operation);
	}

	/**
	 * Limit the fault to statements whose text contains a match of a regular expression.
	 * @param regex the Java regular expression
	 * @return this fault
	 * @see FaultField#SQL
	 */
	public Fault sql(String regex) {
		return with(FaultField.SQL, regex);
	}

	/**
	 * Limit the fault to one data source.
	 * @param beanName the data source's bean name
	 * @return this fault
	 * @see FaultField#DATA_SOURCE
	 */
	public Fault dataSource(String beanName) {
		return with(FaultField.DATA_SOURCE, beanName);
	}

	/**
	 * Make the fault affect only some matching calls.
	 * @param probability the probability, from 0 to 1, that a matching call is affected
	 * @return this fault
	 * @see FaultField#PROBABILITY
	 */
	public Fault probability(double probability) {
		return with(FaultField.PROBABILITY, probability);
	}

	/**
	 * Make the fault remove itself after a number of injections.
	 * @param count the number of injections
	 * @return this fault
	 * @see FaultField#COUNT
	 */
	public Fault count(int count) {
		return with(FaultField.COUNT, count);
	}

	/**
	 * Make the fault end after a while.
	 * @param duration how long the fault stays active
	 * @return this fault
	 * @see FaultField#DURATION
	 */
	public Fault duration(Duration duration) {
		return with(FaultField.DURATION, duration);
	}

	/**
	 * Limit the fault to calls made in a scope.
	 * @param scope the scope
	 * @return this fault
	 * @see FaultField#SCOPE
	 */
	public Fault scope(String scope) {
		return with(FaultField.SCOPE, scope);
	}

	/**
	 * Give the fault an id of your own.
	 * @param id the id
	 * @return this fault
	 * @see FaultField#ID
	 */
	public Fault id(String id) {
		return with(FaultField.ID, id);
	}

	/**
	 * Add a random part to the delay of a latency fault.
	 * @param jitter the upper bound of the random part
	 * @return this fault
	 * @see FaultField#JITTER
	 */
	public Fault jitter(Duration jitter) {
		return with(FaultField.JITTER, jitter);
	}

	/**
	 * Give the error of an error fault a vendor code, such as MariaDB's and MySQL's 1213
	 * for a deadlock.
	 * @param vendorCode the code, as {@link java.sql.SQLException#getErrorCode()} gives
	 * it
	 * @return this fault
	 * @see FaultField#VENDOR_CODE
	 */
	public Fault vendorCode(int vendorCode) {
		return with(FaultField.VENDOR_CODE, vendorCode);
	}

	/**
	 * Give the error of an error fault a message of your own.
	 * @param message the message
	 * @return this fault
	 * @see FaultField#MESSAGE
	 */
	public Fault message(String message) {
		return with(FaultField.MESSAGE, message);
	}

	/**
	 * Set any field of the fault, such as one this class has no method for.
	 * @param <T> the type the field takes
	 * @param field the field
	 * @param value the value, sent in its JSON form ({@link FaultField#toJson(Object)})
	 * @return this fault
	 */
	public <T> Fault with(FaultField<T> field, T value) {
		return put(field, field.toJson(value));
	}

	/**
	 * Return how long the fault lasts, as set.
	 * @return the duration, or {@code null} for the service's default
	 */
	@Nullable Duration duration() {
		Object json = this.fields.get(FaultField.DURATION);
		if (json == null) {
			return null;
		}
		// FaultField.toJson writes whole milliseconds ("250ms"), else nanoseconds.
		String text = json.toString();
		return text.endsWith("ns") ? Duration.ofNanos(Long.parseLong(text.substring(0, text.length() - 2)))
				: Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
	}

	@Nullable String scope() {
		return (String) this.fields.get(FaultField.SCOPE);
	}

	/**
	 * Return a copy of this fault limited to a scope, leaving this one as it is.
	 * @param scope the scope the copy is limited to
	 * @return a copy with every field of this fault and the given scope
	 */
	Fault copyWithScope(String scope) {
		Fault copy = new Fault(FaultType.OUTAGE);
		copy.fields.putAll(this.fields);
		return copy.scope(scope);
	}

	private Fault put(FaultField<?> field, Object json) {
		this.fields.put(field, json);
		return this;
	}

	/**
	 * Return the JSON body the endpoint takes for this fault.
	 * @return the JSON
	 */
	public String toJson() {
		StringBuilder json = new StringBuilder("{");
		this.fields.forEach((field, value) -> {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append(Json.quote(field.name())).append(':');
			if (value instanceof Number) {
				json.append(value);
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
