package dev.dbchaos.fault;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One field of a fault, as every way of declaring a fault knows it: its name in JSON and
 * Java ({@code sqlState}) and in properties ({@code sql-state}), the Java type the
 * {@link FaultSpec.Builder} takes it as, what a valid value looks like, and how to set it
 * on a builder and read it back from a {@link FaultSpec}. {@link #all()} is the
 * catalogue: the {@code dbchaos.faults[n]} properties, the endpoint's request and its
 * description of a rule, and the test client all work from it, so that a field is defined
 * once, here and in {@link FaultSpec}, whose builder checks every value, naming the field
 * it refuses.
 * <p>
 * A field's value travels in one of a few Java types ({@link FaultType},
 * {@link Operation}, {@link String}, {@link Double}, {@link Integer}, {@link Duration});
 * each type has one JSON form ({@link #toJson(Object)}), so that a new field of an
 * existing type needs nothing but its entry here and its place in {@link FaultSpec}.
 *
 * @param <T> the type the builder takes the value as
 * @since 0.1.0
 */
public final class FaultField<T> {

	/**
	 * Kind of failure to inject; required.
	 */
	public static final FaultField<FaultType> TYPE = new FaultField<>("type", FaultType.class,
			"one of " + FaultType.ids(), (builder, value) -> {
				throw new IllegalArgumentException("A builder has its type from FaultSpec.builder(FaultType)");
			}, FaultSpec::getType);

	/**
	 * Kind of JDBC call the fault applies to; {@link Operation#ANY} when not set.
	 */
	public static final FaultField<Operation> OPERATION = new FaultField<>("operation", Operation.class,
			"one of " + Operation.ids(), FaultSpec.Builder::operation, FaultSpec::getOperation);

	/**
	 * Java regular expression the statement text must contain a match of; every statement
	 * when not set.
	 */
	public static final FaultField<String> SQL = new FaultField<>("sql", String.class,
			"a Java regular expression of at most " + FaultSpec.MAX_SQL_PATTERN_LENGTH + " characters",
			FaultSpec.Builder::sql, (spec) -> (spec.getSql() != null) ? spec.getSql().pattern() : null);

	/**
	 * Name of the data source bean the fault applies to; every data source when not set.
	 */
	public static final FaultField<String> DATA_SOURCE = new FaultField<>("dataSource", String.class,
			"a data source bean name", FaultSpec.Builder::dataSource, FaultSpec::getDataSource);

	/**
	 * Probability, from 0 to 1, that a matching call is affected; 1 when not set.
	 */
	public static final FaultField<Double> PROBABILITY = new FaultField<>("probability", Double.class,
			"a number from 0 to 1, such as 0.5", FaultSpec.Builder::probability, FaultSpec::getProbability);

	/**
	 * Number of injections after which the fault removes itself; no limit when not set.
	 */
	public static final FaultField<Integer> COUNT = new FaultField<>("count", Integer.class,
			"a whole number, such as 3", FaultSpec.Builder::count, FaultSpec::getCount);

	/**
	 * How long the fault stays active; the registry's default duration when not set.
	 */
	public static final FaultField<Duration> DURATION = new FaultField<>("duration", Duration.class,
			"a positive duration, such as 30s", FaultSpec.Builder::duration, FaultSpec::getDuration);

	/**
	 * Scope tag the fault is limited to; every call when not set.
	 */
	public static final FaultField<String> SCOPE = new FaultField<>("scope", String.class,
			"a scope tag of at most 200 characters", FaultSpec.Builder::scope, FaultSpec::getScope);

	/**
	 * Id of the fault; generated when not set.
	 */
	public static final FaultField<String> ID = new FaultField<>("id", String.class,
			"1 to 64 letters, digits, '.', '_' or '-'", FaultSpec.Builder::id, FaultSpec::getId);

	/**
	 * Delay added to each matching call; required for, and only for, latency faults.
	 */
	public static final FaultField<Duration> DELAY = new FaultField<>("delay", Duration.class,
			"a positive duration, such as 250ms", FaultSpec.Builder::delay, FaultSpec::getDelay);

	/**
	 * Upper bound of a uniform random delay added on top of {@link #DELAY}; only for
	 * latency faults.
	 */
	public static final FaultField<Duration> JITTER = new FaultField<>("jitter", Duration.class,
			"a duration, such as 50ms", FaultSpec.Builder::jitter, FaultSpec::getJitter);

	/**
	 * SQLState of the injected error; required for, and only for, error faults.
	 */
	public static final FaultField<String> SQL_STATE = new FaultField<>("sqlState", String.class,
			"5 digits or upper-case letters, such as 40001", FaultSpec.Builder::sqlState, FaultSpec::getSqlState);

	/**
	 * Vendor code ({@link java.sql.SQLException#getErrorCode()}) of the injected error,
	 * such as MariaDB's and MySQL's 1213; only for error faults. Without a
	 * {@link #SQL_STATE} the SQLState is the driver's mapping of the code, where a driver
	 * on the class path has one; otherwise the driver's usual code for the SQLState, 0
	 * where it has none.
	 */
	public static final FaultField<Integer> VENDOR_CODE = new FaultField<>("vendorCode", Integer.class,
			"a positive whole number, such as 1213", FaultSpec.Builder::vendorCode, FaultSpec::getVendorCode);

	/**
	 * Message of the injected error, only for error faults; the database's usual message
	 * for the SQLState when not set.
	 */
	public static final FaultField<String> MESSAGE = new FaultField<>("message", String.class,
			"a message of at most 1000 characters", FaultSpec.Builder::message, FaultSpec::getMessage);

	/**
	 * Number of rows a query's result set hands out before the connection is lost;
	 * required for, and only for, result-reset faults.
	 */
	public static final FaultField<Integer> AFTER_ROWS = new FaultField<>("afterRows", Integer.class,
			"a whole number from 0, such as 100", FaultSpec.Builder::afterRows, FaultSpec::getAfterRows);

	/**
	 * Table a lock fault locks, as {@code stock} or {@code public.stock}; required for,
	 * and only for, lock faults, and checked against the database when the fault is
	 * added.
	 */
	public static final FaultField<String> TABLE = new FaultField<>("table", String.class,
			"a table name, such as stock or public.stock", FaultSpec.Builder::table, FaultSpec::getTable);

	/**
	 * Lock mode of a lock fault, checked against the database when the fault is added:
	 * PostgreSQL's {@code LOCK TABLE} modes (such as {@code share}), MariaDB's
	 * {@code read} or {@code write}; the strongest ({@code access exclusive},
	 * {@code write}) when not set.
	 */
	public static final FaultField<String> MODE = new FaultField<>("mode", String.class,
			"a lock mode of the database, such as access exclusive (PostgreSQL) or write (MariaDB)",
			FaultSpec.Builder::mode, FaultSpec::getMode);

	/**
	 * Number of connections a pool-exhaustion fault borrows from the pool and holds;
	 * every connection of the pool when not set.
	 */
	public static final FaultField<Integer> CONNECTIONS = new FaultField<>("connections", Integer.class,
			"a positive whole number, such as 8", FaultSpec.Builder::connections, FaultSpec::getConnections);

	// The order in which fields are read, checked and listed wherever a fault is.
	private static final List<FaultField<?>> ALL = List.of(TYPE, OPERATION, SQL, DATA_SOURCE, PROBABILITY, COUNT,
			DURATION, SCOPE, ID, DELAY, JITTER, SQL_STATE, VENDOR_CODE, MESSAGE, AFTER_ROWS, TABLE, MODE, CONNECTIONS);

	private static final List<String> NAMES = ALL.stream().map(FaultField::name).toList();

	private final String name;

	private final String propertyName;

	private final Class<T> type;

	private final String expected;

	private final BiConsumer<FaultSpec.Builder, @Nullable T> setter;

	private final Function<FaultSpec, @Nullable T> getter;

	private FaultField(String name, Class<T> type, String expected, BiConsumer<FaultSpec.Builder, @Nullable T> setter,
			Function<FaultSpec, @Nullable T> getter) {
		this.name = name;
		this.propertyName = name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
		this.type = type;
		this.expected = expected;
		this.setter = setter;
		this.getter = getter;
	}

	/**
	 * Return every field of a fault, in the order they are read and checked.
	 * @return the fields
	 */
	public static List<FaultField<?>> all() {
		return ALL;
	}

	/**
	 * Return the names of every field of a fault, in the order of {@link #all()}.
	 * @return the names, such as {@code sqlState}
	 */
	public static List<String> names() {
		return NAMES;
	}

	/**
	 * Find the field of the given name, exactly as written in JSON.
	 * @param name the name, such as {@code sqlState}
	 * @return the field, or empty if no field has that name
	 */
	public static Optional<FaultField<?>> named(String name) {
		for (FaultField<?> field : ALL) {
			if (field.name.equals(name)) {
				return Optional.of(field);
			}
		}
		return Optional.empty();
	}

	/**
	 * Return the name of the field in JSON and Java, and in
	 * {@link InvalidFaultException#getField()}.
	 * @return the name, such as {@code sqlState}
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return the name of the field in properties, as in
	 * {@code dbchaos.faults[0].sql-state}.
	 * @return the name in kebab case, such as {@code sql-state}
	 */
	public String propertyName() {
		return this.propertyName;
	}

	/**
	 * Return the type the builder takes the value as.
	 * @return the type, such as {@code Duration.class}
	 */
	public Class<T> type() {
		return this.type;
	}

	/**
	 * Return what a valid value looks like, in words, as documentation and refusals (such
	 * as the endpoint's of a number sent as a JSON string) describe it.
	 * @return such as {@code a number from 0 to 1, such as 0.5}
	 */
	public String expected() {
		return this.expected;
	}

	/**
	 * Set the value on a builder, as its setter for this field does.
	 * @param builder the builder
	 * @param value the value, or {@code null} for "not set"
	 * @throws InvalidFaultException if the builder refuses it at once (as it does a
	 * {@code sql} pattern that does not compile)
	 * @throws ClassCastException if the value is not of this field's {@link #type()}
	 */
	void set(FaultSpec.Builder builder, @Nullable Object value) {
		this.setter.accept(builder, this.type.cast(value));
	}

	/**
	 * Return the value of this field in a rule, in the type the builder takes it as.
	 * @param spec the rule
	 * @return the value, {@code null} when not set (the operation and probability always
	 * are)
	 */
	public @Nullable T get(FaultSpec spec) {
		return this.getter.apply(spec);
	}

	/**
	 * Return the value of this field in a rule as it is written in JSON.
	 * @param spec the rule
	 * @return the value as {@link #toJson(Object)} gives it, {@code null} when not set
	 */
	public @Nullable Object getJson(FaultSpec spec) {
		return toJson(get(spec));
	}

	/**
	 * Return a value as it is written in JSON, and so as the endpoint takes and shows it:
	 * a {@link Number} for numbers, otherwise text; a fault type or operation by its id
	 * ({@code read-only}), a duration in whole milliseconds ({@code 250ms}), or
	 * nanoseconds when it is not a whole number of milliseconds.
	 * @param value the value, or {@code null}
	 * @return the JSON value, {@code null} for {@code null}
	 */
	public @Nullable Object toJson(@Nullable T value) {
		if (value == null || value instanceof Number) {
			return value;
		}
		if (value instanceof Duration duration) {
			return (duration.toNanos() % 1_000_000 == 0) ? duration.toMillis() + "ms" : duration.toNanos() + "ns";
		}
		// FaultType and Operation show their ids.
		return value.toString();
	}

	@Override
	public String toString() {
		return this.name;
	}

	/**
	 * The values of the fields of a fault to be built, as {@link FaultSpec#of(Values)}
	 * asks for them: one field at a time, in the order of {@link FaultField#all()}, so
	 * that a source that parses as it goes reports the first offending field first.
	 */
	@FunctionalInterface
	public interface Values {

		/**
		 * Return the value of a field.
		 * @param field the field
		 * @return the value, of the field's {@link FaultField#type()}, or {@code null}
		 * when not set
		 * @throws InvalidFaultException naming the field, if the value cannot be read
		 */
		@Nullable Object get(FaultField<?> field);

	}

}
