package dev.dbchaos.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;

/**
 * Configuration properties for dbchaos. These are settings only: the rules in force at
 * runtime live in the {@link dev.dbchaos.fault.FaultRegistry}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("dbchaos")
public class DbChaosProperties {

	/**
	 * Whether to wrap the application's data sources and offer the dbchaos endpoint. When
	 * false, dbchaos does nothing at all.
	 */
	private boolean enabled;

	/**
	 * How long a fault stays active when it does not say.
	 */
	private Duration defaultDuration = Duration.ofMinutes(5);

	/**
	 * Longest duration a fault may ask for. Longer requests are rejected.
	 */
	private Duration maxDuration = Duration.ofHours(1);

	/**
	 * Seed of the random source behind probability and jitter, to replay a chaos run. A
	 * random seed is chosen, and logged, when not set.
	 */
	private @Nullable Long randomSeed;

	/**
	 * Names of DataSource beans to leave alone.
	 */
	private Set<String> excludeBeans = new LinkedHashSet<>();

	/**
	 * Faults active from start-up, with the same fields as the endpoint accepts. Unknown
	 * keys under a fault stop the application at start-up.
	 */
	private List<Fault> faults = new ArrayList<>();

	private final Scope scope = new Scope();

	/**
	 * Settings of the dbchaos endpoint.
	 */
	private final Endpoint endpoint = new Endpoint();

	/**
	 * Settings of game-day experiments.
	 */
	private final Experiments experiments = new Experiments();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getDefaultDuration() {
		return this.defaultDuration;
	}

	public void setDefaultDuration(Duration defaultDuration) {
		this.defaultDuration = defaultDuration;
	}

	public Duration getMaxDuration() {
		return this.maxDuration;
	}

	public void setMaxDuration(Duration maxDuration) {
		this.maxDuration = maxDuration;
	}

	public @Nullable Long getRandomSeed() {
		return this.randomSeed;
	}

	public void setRandomSeed(@Nullable Long randomSeed) {
		this.randomSeed = randomSeed;
	}

	public Set<String> getExcludeBeans() {
		return this.excludeBeans;
	}

	public void setExcludeBeans(Set<String> excludeBeans) {
		this.excludeBeans = excludeBeans;
	}

	public List<Fault> getFaults() {
		return this.faults;
	}

	public void setFaults(List<Fault> faults) {
		this.faults = faults;
	}

	public Scope getScope() {
		return this.scope;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Experiments getExperiments() {
		return this.experiments;
	}

	/**
	 * Endpoint settings.
	 */
	public static class Endpoint {

		/**
		 * Whether to allow callers that are not authenticated to add and remove faults
		 * through the dbchaos endpoint. When disabled, their writes are refused with 403.
		 */
		private boolean allowAnonymousWrites;

		public boolean isAllowAnonymousWrites() {
			return this.allowAnonymousWrites;
		}

		public void setAllowAnonymousWrites(boolean allowAnonymousWrites) {
			this.allowAnonymousWrites = allowAnonymousWrites;
		}

	}

	/**
	 * Experiment settings.
	 */
	public static class Experiments {

		/**
		 * Location of experiment definition files (*.json, *.yaml, *.yml), each started
		 * by its file name without the extension: POST {"definition": "failover-drill"}
		 * to /actuator/dbchaos/experiments. Every file is read at start-up; a broken one
		 * stops the application.
		 */
		private String location = "classpath:dbchaos/experiments/";

		public String getLocation() {
			return this.location;
		}

		public void setLocation(String location) {
			this.location = location;
		}

	}

	/**
	 * Scope settings.
	 */
	public static class Scope {

		/**
		 * Name of the request header that binds a request to a scope.
		 */
		private String headerName = "X-DbChaos-Scope";

		/**
		 * Whether a Resilience4j circuit breaker, retry or bulkhead obtained while a
		 * scope is bound is that scope's own instance, so that a scoped fault opens only
		 * its own scope's breaker. Meant for test runs; in production it would split the
		 * breaker's view of the database by caller.
		 */
		private boolean isolateResilience4j;

		public String getHeaderName() {
			return this.headerName;
		}

		public void setHeaderName(String headerName) {
			this.headerName = headerName;
		}

		public boolean isIsolateResilience4j() {
			return this.isolateResilience4j;
		}

		public void setIsolateResilience4j(boolean isolateResilience4j) {
			this.isolateResilience4j = isolateResilience4j;
		}

	}

	/**
	 * A fault declared in configuration: one bean property for each {@link FaultField},
	 * of the same name and of the type the {@link dev.dbchaos.fault.FaultSpec.Builder}
	 * takes, because Spring Boot binds {@code dbchaos.faults[n].*} (relaxed names, its
	 * conversions, unknown keys refused) to bean properties. Values only: they are read
	 * by the fields' names and checked by the builder, so nothing here knows what a field
	 * means.
	 */
	public static class Fault {

		/**
		 * See {@link FaultField#TYPE}.
		 */
		private @Nullable FaultType type;

		/**
		 * See {@link FaultField#OPERATION}.
		 */
		private Operation operation = Operation.ANY;

		/**
		 * See {@link FaultField#SQL}.
		 */
		private @Nullable String sql;

		/**
		 * See {@link FaultField#DATA_SOURCE}.
		 */
		private @Nullable String dataSource;

		/**
		 * See {@link FaultField#PROBABILITY}.
		 */
		private @Nullable Double probability;

		/**
		 * See {@link FaultField#COUNT}.
		 */
		private @Nullable Integer count;

		/**
		 * See {@link FaultField#DURATION}.
		 */
		private @Nullable Duration duration;

		/**
		 * See {@link FaultField#SCOPE}.
		 */
		private @Nullable String scope;

		/**
		 * See {@link FaultField#ID}.
		 */
		private @Nullable String id;

		/**
		 * See {@link FaultField#DELAY}.
		 */
		private @Nullable Duration delay;

		/**
		 * See {@link FaultField#JITTER}.
		 */
		private @Nullable Duration jitter;

		/**
		 * See {@link FaultField#SQL_STATE}.
		 */
		private @Nullable String sqlState;

		/**
		 * See {@link FaultField#VENDOR_CODE}.
		 */
		private @Nullable Integer vendorCode;

		/**
		 * See {@link FaultField#MESSAGE}.
		 */
		private @Nullable String message;

		/**
		 * See {@link FaultField#AFTER_ROWS}.
		 */
		private @Nullable Integer afterRows;

		/**
		 * See {@link FaultField#TABLE}.
		 */
		private @Nullable String table;

		/**
		 * See {@link FaultField#MODE}.
		 */
		private @Nullable String mode;

		/**
		 * See {@link FaultField#CONNECTIONS}.
		 */
		private @Nullable Integer connections;

		public @Nullable FaultType getType() {
			return this.type;
		}

		public void setType(@Nullable FaultType type) {
			this.type = type;
		}

		public Operation getOperation() {
			return this.operation;
		}

		public void setOperation(Operation operation) {
			this.operation = operation;
		}

		public @Nullable String getSql() {
			return this.sql;
		}

		public void setSql(@Nullable String sql) {
			this.sql = sql;
		}

		public @Nullable String getDataSource() {
			return this.dataSource;
		}

		public void setDataSource(@Nullable String dataSource) {
			this.dataSource = dataSource;
		}

		public @Nullable Double getProbability() {
			return this.probability;
		}

		public void setProbability(@Nullable Double probability) {
			this.probability = probability;
		}

		public @Nullable Integer getCount() {
			return this.count;
		}

		public void setCount(@Nullable Integer count) {
			this.count = count;
		}

		public @Nullable Duration getDuration() {
			return this.duration;
		}

		public void setDuration(@Nullable Duration duration) {
			this.duration = duration;
		}

		public @Nullable String getScope() {
			return this.scope;
		}

		public void setScope(@Nullable String scope) {
			this.scope = scope;
		}

		public @Nullable String getId() {
			return this.id;
		}

		public void setId(@Nullable String id) {
			this.id = id;
		}

		public @Nullable Duration getDelay() {
			return this.delay;
		}

		public void setDelay(@Nullable Duration delay) {
			this.delay = delay;
		}

		public @Nullable Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Duration jitter) {
			this.jitter = jitter;
		}

		public @Nullable String getSqlState() {
			return this.sqlState;
		}

		public void setSqlState(@Nullable String sqlState) {
			this.sqlState = sqlState;
		}

		public @Nullable Integer getVendorCode() {
			return this.vendorCode;
		}

		public void setVendorCode(@Nullable Integer vendorCode) {
			this.vendorCode = vendorCode;
		}

		public @Nullable String getMessage() {
			return this.message;
		}

		public void setMessage(@Nullable String message) {
			this.message = message;
		}

		public @Nullable Integer getAfterRows() {
			return this.afterRows;
		}

		public void setAfterRows(@Nullable Integer afterRows) {
			this.afterRows = afterRows;
		}

		public @Nullable String getTable() {
			return this.table;
		}

		public void setTable(@Nullable String table) {
			this.table = table;
		}

		public @Nullable String getMode() {
			return this.mode;
		}

		public void setMode(@Nullable String mode) {
			this.mode = mode;
		}

		public @Nullable Integer getConnections() {
			return this.connections;
		}

		public void setConnections(@Nullable Integer connections) {
			this.connections = connections;
		}

	}

}
