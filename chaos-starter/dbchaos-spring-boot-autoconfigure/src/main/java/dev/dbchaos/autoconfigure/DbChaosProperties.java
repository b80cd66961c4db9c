package dev.dbchaos.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for dbchaos. These are settings only: the rules in force at runtime
 * live in the {@link dev.dbchaos.fault.FaultRegistry}.
 *
 * @author dbchaos
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
	private Long randomSeed;

	/**
	 * Names of DataSource beans to leave alone.
	 */
	private Set<String> excludeBeans = new LinkedHashSet<>();

	/**
	 * Faults active from start-up, with the same fields as the endpoint accepts. Unknown keys
	 * under a fault stop the application at start-up.
	 */
	private List<Fault> faults = new ArrayList<>();

	private final Scope scope = new Scope();

	/**
	 * Settings of the dbchaos endpoint.
	 */
	private final Endpoint endpoint = new Endpoint();

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

	public Long getRandomSeed() {
		return this.randomSeed;
	}

	public void setRandomSeed(Long randomSeed) {
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

	/**
	 * Endpoint settings.
	 */
	public static class Endpoint {

		/**
		 * Whether to allow callers that are not authenticated to add and remove faults through
		 * the dbchaos endpoint. When disabled, their writes are refused with 403.
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
	 * Scope settings.
	 */
	public static class Scope {

		/**
		 * Name of the request header that binds a request to a scope.
		 */
		private String headerName = "X-DbChaos-Scope";

		/**
		 * Whether a Resilience4j circuit breaker, retry or bulkhead obtained while a scope is
		 * bound is that scope's own instance, so that a scoped fault opens only its own scope's
		 * breaker. Meant for test runs; in production it would split the breaker's view of
		 * the database by caller.
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
	 * A fault declared in configuration.
	 */
	public static class Fault {

		/**
		 * Kind of failure to inject.
		 */
		private FaultType type;

		/**
		 * Kind of JDBC call the fault applies to.
		 */
		private Operation operation = Operation.ANY;

		/**
		 * Java regular expression the statement text must contain a match of.
		 */
		private String sql;

		/**
		 * Name of the DataSource bean the fault applies to. All when not set.
		 */
		private String dataSource;

		/**
		 * Probability, from 0 to 1, that a matching call is affected.
		 */
		private Double probability;

		/**
		 * Number of injections after which the fault removes itself. No limit when not set.
		 */
		private Integer count;

		/**
		 * How long the fault stays active. "dbchaos.default-duration" when not set.
		 */
		private Duration duration;

		/**
		 * Scope tag the fault is limited to. All calls when not set.
		 */
		private String scope;

		/**
		 * Id of the fault. Generated when not set.
		 */
		private String id;

		/**
		 * Delay added to each matching call, for latency faults.
		 */
		private Duration delay;

		/**
		 * Upper bound of a uniform random delay added on top of "delay", for latency faults.
		 */
		private Duration jitter;

		/**
		 * SQLState of the injected error, for error faults.
		 */
		private String sqlState;

		/**
		 * Message of the injected error, for error faults. The database's usual message for
		 * the SQLState when not set.
		 */
		private String message;

		public FaultType getType() {
			return this.type;
		}

		public void setType(FaultType type) {
			this.type = type;
		}

		public Operation getOperation() {
			return this.operation;
		}

		public void setOperation(Operation operation) {
			this.operation = operation;
		}

		public String getSql() {
			return this.sql;
		}

		public void setSql(String sql) {
			this.sql = sql;
		}

		public String getDataSource() {
			return this.dataSource;
		}

		public void setDataSource(String dataSource) {
			this.dataSource = dataSource;
		}

		public Double getProbability() {
			return this.probability;
		}

		public void setProbability(Double probability) {
			this.probability = probability;
		}

		public Integer getCount() {
			return this.count;
		}

		public void setCount(Integer count) {
			this.count = count;
		}

		public Duration getDuration() {
			return this.duration;
		}

		public void setDuration(Duration duration) {
			this.duration = duration;
		}

		public String getScope() {
			return this.scope;
		}

		public void setScope(String scope) {
			this.scope = scope;
		}

		public String getId() {
			return this.id;
		}

		public void setId(String id) {
			this.id = id;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

		public String getSqlState() {
			return this.sqlState;
		}

		public void setSqlState(String sqlState) {
			this.sqlState = sqlState;
		}

		public String getMessage() {
			return this.message;
		}

		public void setMessage(String message) {
			this.message = message;
		}

	}

}
