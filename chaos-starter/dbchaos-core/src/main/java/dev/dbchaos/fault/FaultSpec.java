package dev.dbchaos.fault;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * What to break and where: a fault type plus optional filters. Immutable and validated on
 * creation; {@link FaultRegistry#add(FaultSpec)} turns it into an active
 * {@link FaultRule}.
 *
 * @since 0.1.0
 * @see #builder(FaultType)
 */
public final class FaultSpec {

	/**
	 * Longest accepted {@code sql} pattern, so that a rule cannot carry an unbounded
	 * regex.
	 */
	public static final int MAX_SQL_PATTERN_LENGTH = 1000;

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final Pattern SQL_STATE = Pattern.compile("[0-9A-Z]{5}");

	// Unquoted identifiers only, so that a table name can go into a LOCK statement as it
	// is and resolves as the application's unquoted statements resolve it.
	private static final Pattern TABLE = Pattern
		.compile("([A-Za-z_][A-Za-z0-9_$]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_$]{0,62}");

	private static final Pattern MODE = Pattern.compile("[A-Za-z _-]{1,40}");

	private final FaultType type;

	private final Operation operation;

	private final @Nullable Pattern sql;

	private final @Nullable String dataSource;

	private final double probability;

	private final @Nullable Integer count;

	private final @Nullable Duration duration;

	private final @Nullable String scope;

	private final @Nullable String id;

	private final @Nullable Duration delay;

	private final @Nullable Duration jitter;

	private final @Nullable String sqlState;

	private final @Nullable Integer vendorCode;

	private final @Nullable String message;

	private final @Nullable Integer afterRows;

	private final @Nullable String table;

	private final @Nullable String mode;

	private final @Nullable Integer connections;

	private FaultSpec(Builder builder, @Nullable String sqlState) {
		this.type = builder.type;
		this.operation = builder.operation;
		this.sql = builder.sql;
		this.dataSource = builder.dataSource;
		this.probability = builder.probability;
		this.count = builder.count;
		this.duration = builder.duration;
		this.scope = builder.scope;
		this.id = builder.id;
		this.delay = builder.delay;
		this.jitter = builder.jitter;
		this.sqlState = sqlState;
		this.vendorCode = builder.vendorCode;
		this.message = builder.message;
		this.afterRows = builder.afterRows;
		this.table = builder.table;
		this.mode = builder.mode;
		this.connections = builder.connections;
	}

	/**
	 * Start building a rule of the given type.
	 * @param type the fault type; {@code null} is refused as a missing type
	 * @return a builder
	 * @throws InvalidFaultException if the type is {@code null}
	 */
	public static Builder builder(@Nullable FaultType type) {
		return new Builder(type);
	}

	/**
	 * Build and validate a rule from the value of each of its fields, read in the order
	 * of {@link FaultField#all()}.
	 * @param values the value of each field
	 * @return the rule
	 * @throws InvalidFaultException naming the first offending field
	 * @throws ClassCastException if a value is not of its field's
	 * {@link FaultField#type()}
	 */
	public static FaultSpec of(FaultField.Values values) {
		Builder builder = builder(FaultField.TYPE.type().cast(values.get(FaultField.TYPE)));
		for (FaultField<?> field : FaultField.all()) {
			if (field != FaultField.TYPE) {
				field.set(builder, values.get(field));
			}
		}
		return builder.build();
	}

	/**
	 * Return the fault type.
	 * @return the type
	 */
	public FaultType getType() {
		return this.type;
	}

	/**
	 * Return the operation the rule applies to.
	 * @return the operation, {@link Operation#ANY} when unfiltered
	 */
	public Operation getOperation() {
		return this.operation;
	}

	/**
	 * Return the pattern the statement text must contain a match of.
	 * @return the pattern, or {@code null} for every statement
	 */
	public @Nullable Pattern getSql() {
		return this.sql;
	}

	/**
	 * Return the name of the data source bean the rule applies to.
	 * @return the bean name, or {@code null} for every data source
	 */
	public @Nullable String getDataSource() {
		return this.dataSource;
	}

	/**
	 * Return the probability that a matching call is affected.
	 * @return a value from 0 to 1
	 */
	public double getProbability() {
		return this.probability;
	}

	/**
	 * Return how many times the rule injects before it removes itself.
	 * @return the count, or {@code null} for no limit
	 */
	public @Nullable Integer getCount() {
		return this.count;
	}

	/**
	 * Return how long the rule stays active.
	 * @return the duration, or {@code null} for the registry's default
	 */
	public @Nullable Duration getDuration() {
		return this.duration;
	}

	/**
	 * Return the scope tag the rule is limited to.
	 * @return the scope, or {@code null} for every call
	 */
	public @Nullable String getScope() {
		return this.scope;
	}

	/**
	 * Return the requested rule id.
	 * @return the id, or {@code null} to have one generated
	 */
	public @Nullable String getId() {
		return this.id;
	}

	/**
	 * Return the delay of a latency fault.
	 * @return the delay, or {@code null} for other types
	 */
	public @Nullable Duration getDelay() {
		return this.delay;
	}

	/**
	 * Return the upper bound of the uniform random delay added to {@link #getDelay()}.
	 * @return the jitter, or {@code null} for other types
	 */
	public @Nullable Duration getJitter() {
		return this.jitter;
	}

	/**
	 * Return the SQLState of an error fault.
	 * @return the SQLState, or {@code null} for other types
	 */
	public @Nullable String getSqlState() {
		return this.sqlState;
	}

	/**
	 * Return the vendor code of an error fault.
	 * @return the code, or {@code null} for the driver's usual code for the SQLState
	 */
	public @Nullable Integer getVendorCode() {
		return this.vendorCode;
	}

	/**
	 * Return the message of an error fault.
	 * @return the message, or {@code null} for the driver's usual message for the
	 * SQLState
	 */
	public @Nullable String getMessage() {
		return this.message;
	}

	/**
	 * Return how many rows a result-reset fault lets a result set hand out before the
	 * connection is lost.
	 * @return the number of rows, or {@code null} for other types
	 */
	public @Nullable Integer getAfterRows() {
		return this.afterRows;
	}

	/**
	 * Return the table a lock fault locks.
	 * @return the table, or {@code null} for other types
	 */
	public @Nullable String getTable() {
		return this.table;
	}

	/**
	 * Return the lock mode of a lock fault.
	 * @return the mode as given, or {@code null} for the database's strongest
	 */
	public @Nullable String getMode() {
		return this.mode;
	}

	/**
	 * Return how many connections a pool-exhaustion fault holds.
	 * @return the number, or {@code null} for every connection of the pool
	 */
	public @Nullable Integer getConnections() {
		return this.connections;
	}

	/**
	 * Return the value of a field.
	 * @param <T> the type the builder takes the value as
	 * @param field the field
	 * @return the value, as {@link FaultField#get(FaultSpec)} gives it
	 */
	public <T> @Nullable T get(FaultField<T> field) {
		return field.get(this);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(this.type.id());
		for (FaultField<?> field : FaultField.all()) {
			// The type leads; the id and the lifetime are the rule's, which FaultRule
			// shows.
			if (field != FaultField.TYPE && field != FaultField.ID && field != FaultField.DURATION) {
				Object value = field.get(this);
				if (value != null && !value.equals(field.get(Unset.SPEC))) {
					text.append(' ').append(field.name()).append('=').append(value);
				}
			}
		}
		return text.toString();
	}

	/**
	 * A rule with every field left unset, whose values are the defaults that
	 * {@link #toString()} leaves out. Held apart so that it is created after FaultSpec
	 * itself.
	 */
	private static final class Unset {

		static final FaultSpec SPEC = builder(FaultType.OUTAGE).build();

	}

	/**
	 * Builds a validated {@link FaultSpec}. Every setter accepts {@code null} for "not
	 * set".
	 */
	public static final class Builder {

		private final FaultType type;

		private Operation operation = Operation.ANY;

		private @Nullable Pattern sql;

		private @Nullable String dataSource;

		private double probability = 1.0;

		private @Nullable Integer count;

		private @Nullable Duration duration;

		private @Nullable String scope;

		private @Nullable String id;

		private @Nullable Duration delay;

		private @Nullable Duration jitter;

		private @Nullable String sqlState;

		private @Nullable Integer vendorCode;

		private @Nullable String message;

		private @Nullable Integer afterRows;

		private @Nullable String table;

		private @Nullable String mode;

		private @Nullable Integer connections;

		private Builder(@Nullable FaultType type) {
			if (type == null) {
				throw new InvalidFaultException("type", "is required; expected one of " + FaultType.ids());
			}
			this.type = type;
		}

		/**
		 * Set the value of a field, as the setter for that field does.
		 * @param <T> the type the builder takes the value as
		 * @param field the field, any but {@link FaultField#TYPE}, which
		 * {@link FaultSpec#builder(FaultType)} takes
		 * @param value the value, or {@code null} for "not set"
		 * @return this builder
		 * @throws InvalidFaultException if the value is refused at once, as a {@code sql}
		 * pattern that does not compile is
		 */
		public <T> Builder set(FaultField<T> field, @Nullable T value) {
			field.set(this, value);
			return this;
		}

		public Builder operation(@Nullable Operation operation) {
			this.operation = (operation != null) ? operation : Operation.ANY;
			return this;
		}

		/**
		 * Limit the rule to statements whose text contains a match of the given Java
		 * regular expression.
		 * @param regex the regular expression
		 * @return this builder
		 * @throws InvalidFaultException if the expression is too long or does not compile
		 */
		public Builder sql(@Nullable String regex) {
			if (regex == null || regex.isEmpty()) {
				this.sql = null;
				return this;
			}
			if (regex.length() > MAX_SQL_PATTERN_LENGTH) {
				throw new InvalidFaultException("sql", "must be at most " + MAX_SQL_PATTERN_LENGTH + " characters");
			}
			try {
				this.sql = Pattern.compile(regex);
			}
			catch (PatternSyntaxException ex) {
				throw new InvalidFaultException("sql",
						"is not a valid regular expression: " + ex.getDescription() + " near index " + ex.getIndex());
			}
			return this;
		}

		public Builder dataSource(@Nullable String dataSource) {
			this.dataSource = blankToNull(dataSource);
			return this;
		}

		public Builder probability(@Nullable Double probability) {
			this.probability = (probability != null) ? probability : 1.0;
			return this;
		}

		public Builder count(@Nullable Integer count) {
			this.count = count;
			return this;
		}

		public Builder duration(@Nullable Duration duration) {
			this.duration = duration;
			return this;
		}

		public Builder scope(@Nullable String scope) {
			this.scope = blankToNull(scope);
			return this;
		}

		public Builder id(@Nullable String id) {
			this.id = blankToNull(id);
			return this;
		}

		public Builder delay(@Nullable Duration delay) {
			this.delay = delay;
			return this;
		}

		public Builder jitter(@Nullable Duration jitter) {
			this.jitter = jitter;
			return this;
		}

		public Builder sqlState(@Nullable String sqlState) {
			this.sqlState = blankToNull(sqlState);
			return this;
		}

		public Builder vendorCode(@Nullable Integer vendorCode) {
			this.vendorCode = vendorCode;
			return this;
		}

		public Builder message(@Nullable String message) {
			this.message = blankToNull(message);
			return this;
		}

		public Builder afterRows(@Nullable Integer afterRows) {
			this.afterRows = afterRows;
			return this;
		}

		public Builder table(@Nullable String table) {
			this.table = blankToNull(table);
			return this;
		}

		public Builder mode(@Nullable String mode) {
			this.mode = blankToNull(mode);
			return this;
		}

		public Builder connections(@Nullable Integer connections) {
			this.connections = connections;
			return this;
		}

		/**
		 * Validate and build the rule.
		 * @return the rule
		 * @throws InvalidFaultException naming the first offending field
		 */
		public FaultSpec build() {
			if (Double.isNaN(this.probability) || this.probability < 0.0 || this.probability > 1.0) {
				throw new InvalidFaultException("probability", "must be between 0 and 1, was " + this.probability);
			}
			if (this.count != null && this.count < 1) {
				throw new InvalidFaultException("count", "must be at least 1, was " + this.count);
			}
			if (this.duration != null && (this.duration.isNegative() || this.duration.isZero())) {
				throw new InvalidFaultException("duration", "must be positive, was " + this.duration);
			}
			if (this.id != null && !ID.matcher(this.id).matches()) {
				throw new InvalidFaultException("id", "must be 1 to 64 letters, digits, '.', '_' or '-'");
			}
			if (this.scope != null && this.scope.length() > 200) {
				throw new InvalidFaultException("scope", "must be at most 200 characters");
			}
			validateLatency();
			String sqlState = validateError();
			if (this.type == FaultType.READ_ONLY
					&& (this.operation == Operation.CONNECT || this.operation == Operation.COMMIT)) {
				throw new InvalidFaultException("operation",
						"read-only faults affect writes only; use update, query or any, not " + this.operation.id());
			}
			validateAmbiguousCommit();
			validateResultReset();
			validateHeld();
			return new FaultSpec(this, sqlState);
		}

		private void validateLatency() {
			if (this.type == FaultType.LATENCY) {
				if (this.delay == null) {
					throw new InvalidFaultException("delay", "is required for latency faults");
				}
				if (this.delay.isNegative() || this.delay.isZero()) {
					throw new InvalidFaultException("delay", "must be positive, was " + this.delay);
				}
				if (this.jitter != null && this.jitter.isNegative()) {
					throw new InvalidFaultException("jitter", "must not be negative, was " + this.jitter);
				}
			}
			else {
				onlyFor(FaultType.LATENCY, "delay", this.delay);
				onlyFor(FaultType.LATENCY, "jitter", this.jitter);
			}
		}

		/**
		 * Check the fields of an error.
		 * @return the SQLState of an error fault: the one given, or the driver's for the
		 * vendor code; {@code null} for other types
		 */
		private @Nullable String validateError() {
			if (this.type != FaultType.ERROR) {
				onlyFor(FaultType.ERROR, "sqlState", this.sqlState);
				onlyFor(FaultType.ERROR, "vendorCode", this.vendorCode);
				onlyFor(FaultType.ERROR, "message", this.message);
				return null;
			}
			if (this.vendorCode != null && this.vendorCode < 1) {
				throw new InvalidFaultException("vendorCode",
						"must be a positive whole number, was " + this.vendorCode);
			}
			String sqlState = this.sqlState;
			if (sqlState == null && this.vendorCode != null) {
				sqlState = VendorCodes.sqlStateOf(this.vendorCode);
				if (sqlState == null) {
					throw new InvalidFaultException("sqlState",
							"is required with vendorCode " + this.vendorCode
									+ ": no driver on the class path maps vendor codes to SQLStates (MySQL Connector/J"
									+ " does); give both, for example sqlState 23000 with vendorCode 1062");
				}
			}
			if (sqlState == null) {
				throw new InvalidFaultException("sqlState", "is required for error faults, for example 40001");
			}
			if (!SQL_STATE.matcher(sqlState).matches()) {
				throw new InvalidFaultException("sqlState",
						"must be 5 digits or upper-case letters, was '" + sqlState + "'");
			}
			if (this.message != null && this.message.length() > 1000) {
				throw new InvalidFaultException("message", "must be at most 1000 characters");
			}
			return sqlState;
		}

		private void validateAmbiguousCommit() {
			if (this.type != FaultType.AMBIGUOUS_COMMIT) {
				return;
			}
			if (this.operation != Operation.COMMIT && this.operation != Operation.ANY) {
				throw new InvalidFaultException("operation",
						"ambiguous-commit faults affect commits: use commit (explicit commits) or any (also writes "
								+ "in auto-commit mode), not " + this.operation.id());
			}
			if (this.operation == Operation.COMMIT && this.sql != null) {
				throw new InvalidFaultException("sql", "a commit has no statement text to match; an sql pattern "
						+ "selects writes in auto-commit mode, which need operation any");
			}
		}

		private void validateResultReset() {
			if (this.type != FaultType.RESULT_RESET) {
				onlyFor(FaultType.RESULT_RESET, "afterRows", this.afterRows);
				return;
			}
			if (this.operation != Operation.QUERY && this.operation != Operation.ANY) {
				throw new InvalidFaultException("operation",
						"result-reset faults break the rows of queries; use query or any, not " + this.operation.id());
			}
			if (this.afterRows == null) {
				throw new InvalidFaultException("afterRows", "is required for result-reset faults, for example 100");
			}
			if (this.afterRows < 0) {
				throw new InvalidFaultException("afterRows", "must be 0 or more, was " + this.afterRows);
			}
		}

		/**
		 * Check the fields of the held faults, which hold a resource for their whole
		 * duration instead of judging JDBC calls, so that no filter of calls applies to
		 * them.
		 */
		private void validateHeld() {
			validateLock();
			if (this.type != FaultType.POOL_EXHAUSTION) {
				onlyFor(FaultType.POOL_EXHAUSTION, "connections", this.connections);
			}
			else if (this.connections != null && this.connections < 1) {
				throw new InvalidFaultException("connections", "must be at least 1, was " + this.connections);
			}
			if (!this.type.isHeld()) {
				return;
			}
			String held = this.type.id() + " faults hold "
					+ ((this.type == FaultType.LOCK) ? "a lock on the server" : "connections of the pool")
					+ " for their whole duration, so ";
			if (this.scope != null) {
				throw new InvalidFaultException("scope", held + "no scope applies: every caller meets them");
			}
			if (this.probability != 1.0) {
				throw new InvalidFaultException("probability", held + "no probability applies");
			}
			if (this.count != null) {
				throw new InvalidFaultException("count", held + "they inject nothing to count; give a duration");
			}
			if (this.operation != Operation.ANY) {
				throw new InvalidFaultException("operation", held + "no operation applies");
			}
			if (this.sql != null) {
				throw new InvalidFaultException("sql", held + "no sql pattern applies");
			}
		}

		private void validateLock() {
			if (this.type != FaultType.LOCK) {
				onlyFor(FaultType.LOCK, "table", this.table);
				onlyFor(FaultType.LOCK, "mode", this.mode);
				return;
			}
			if (this.table == null) {
				throw new InvalidFaultException("table", "is required for lock faults, for example stock");
			}
			if (!TABLE.matcher(this.table).matches()) {
				throw new InvalidFaultException("table",
						"must be an unquoted table name, optionally with its schema, such as stock or public.stock, "
								+ "was '" + this.table + "'");
			}
			if (this.mode != null && !MODE.matcher(this.mode).matches()) {
				throw new InvalidFaultException("mode",
						"must be a lock mode, such as access exclusive or write, was '" + this.mode + "'");
			}
		}

		private void onlyFor(FaultType expected, String field, @Nullable Object value) {
			if (value != null) {
				throw new InvalidFaultException(field,
						"applies only to " + expected.id() + " faults, not " + this.type.id());
			}
		}

		private static @Nullable String blankToNull(@Nullable String value) {
			return (value == null || value.isBlank()) ? null : value;
		}

	}

}
