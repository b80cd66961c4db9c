package dev.dbchaos.actuate;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.lang.Nullable;

import dev.dbchaos.DbChaos;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;

/**
 * {@link Endpoint @Endpoint} to list, add and remove fault rules at runtime. Read-only
 * unless {@code management.endpoint.dbchaos.access=unrestricted}: breaking a database is
 * a write.
 *
 * @since 0.1.0
 * @see DbChaosEndpointWebExtension
 */
@Endpoint(id = "dbchaos", defaultAccess = Access.READ_ONLY)
public class DbChaosEndpoint {

	// Spring's @Nullable throughout, not JSpecify's: Spring Boot 3.5 tells an operation's
	// optional parameters by it alone (Spring Boot 4 reads either).

	/**
	 * The setting that allows adding and removing faults.
	 */
	public static final String ALLOW_WRITES = "management.endpoint.dbchaos.access=unrestricted";

	private static final Duration MAX_AWAIT = Duration.ofMinutes(1);

	private final FaultRegistry registry;

	private final boolean writable;

	private final Function<String, DataSourceDescriptor> dataSources;

	private volatile @Nullable ExperimentOperations experiments;

	private final FleetFaults fleet;

	/**
	 * Create an endpoint whose access is read-only, the default.
	 * @param registry the rules in force
	 */
	public DbChaosEndpoint(FaultRegistry registry) {
		this(registry, Access.READ_ONLY);
	}

	/**
	 * Create an endpoint that lists its data sources by name only.
	 * @param registry the rules in force
	 * @param access the endpoint's access ({@code management.endpoint.dbchaos.access}),
	 * shown so that an operator whose writes are refused can tell why
	 */
	public DbChaosEndpoint(FaultRegistry registry, Access access) {
		this(registry, access, DataSourceDescriptor::named);
	}

	/**
	 * Create an endpoint.
	 * @param registry the rules in force
	 * @param access the endpoint's access ({@code management.endpoint.dbchaos.access}),
	 * shown so that an operator whose writes are refused can tell why
	 * @param dataSources describes a data source of the registry, by name: its pool and
	 * where the proxy sits
	 */
	public DbChaosEndpoint(FaultRegistry registry, Access access, Function<String, DataSourceDescriptor> dataSources) {
		this(registry, access, dataSources, FleetFaults.NONE);
	}

	/**
	 * Create an endpoint that also lists and changes the faults of a fleet.
	 * @param registry the rules in force
	 * @param access the endpoint's access ({@code management.endpoint.dbchaos.access}),
	 * shown so that an operator whose writes are refused can tell why
	 * @param dataSources describes a data source of the registry, by name: its pool and
	 * where the proxy sits
	 * @param fleet the faults of the application's other instances
	 */
	public DbChaosEndpoint(FaultRegistry registry, Access access, Function<String, DataSourceDescriptor> dataSources,
			FleetFaults fleet) {
		this.registry = registry;
		this.writable = access == Access.UNRESTRICTED;
		this.dataSources = dataSources;
		this.fleet = fleet;
	}

	/**
	 * Return the faults of the fleet this instance belongs to.
	 * @return the fleet, {@link FleetFaults#NONE} without one
	 */
	public FleetFaults fleet() {
		return this.fleet;
	}

	/**
	 * Return whether faults can be added and removed through the endpoint.
	 * @return whether its access is unrestricted
	 */
	public boolean isWritable() {
		return this.writable;
	}

	@ReadOperation
	public DbChaosDescriptor faults() {
		List<FaultDescriptor> faults = Stream
			.concat(this.registry.getRules().stream().map(this.fleet::describe), this.fleet.elsewhere().stream())
			.toList();
		List<DataSourceDescriptor> dataSources = this.registry.getDataSources().stream().map(this.dataSources).toList();
		return new DbChaosDescriptor(true, this.writable, this.writable ? null : ALLOW_WRITES, faults, dataSources);
	}

	@ReadOperation
	public @Nullable Object fault(@Selector String id) {
		ExperimentOperations experiments = this.experiments;
		if (experiments != null && ExperimentOperations.COLLECTION.equals(id)) {
			return experiments.list();
		}
		return this.registry.get(id)
			.map(this.fleet::describe)
			.orElseGet(() -> this.fleet.elsewhere()
				.stream()
				.filter((fault) -> fault.id().equals(id))
				.findFirst()
				.orElse(null));
	}

	/**
	 * Serve game-day experiments at {@code /dbchaos/experiments}.
	 * @param experiments the experiment operations, or {@code null} for none
	 */
	public void setExperiments(@Nullable ExperimentOperations experiments) {
		this.experiments = experiments;
	}

	/**
	 * Return the experiment operations.
	 * @return them, or {@code null} when experiments are not served
	 */
	public @Nullable ExperimentOperations getExperiments() {
		return this.experiments;
	}

	/**
	 * Add a rule.
	 * @param request the posted fields
	 * @return the new rule
	 * @throws dev.dbchaos.fault.InvalidFaultException naming the offending field
	 */
	public FaultDescriptor add(FaultRequest request) {
		return FaultDescriptor.of(this.registry.add(request.toSpec()));
	}

	/**
	 * Add a rule, from the fields as Spring Boot binds them (as JMX passes them). Spring
	 * Boot binds an operation's arguments by parameter name, so there is one parameter
	 * for each field of a fault, named and ordered as
	 * {@link dev.dbchaos.fault.FaultField#all()}, which a test holds these parameters to.
	 * @param type see {@link dev.dbchaos.fault.FaultField#TYPE}
	 * @param operation see {@link dev.dbchaos.fault.FaultField#OPERATION}
	 * @param sql see {@link dev.dbchaos.fault.FaultField#SQL}
	 * @param dataSource see {@link dev.dbchaos.fault.FaultField#DATA_SOURCE}
	 * @param probability see {@link dev.dbchaos.fault.FaultField#PROBABILITY}
	 * @param count see {@link dev.dbchaos.fault.FaultField#COUNT}
	 * @param duration see {@link dev.dbchaos.fault.FaultField#DURATION}
	 * @param scope see {@link dev.dbchaos.fault.FaultField#SCOPE}
	 * @param id see {@link dev.dbchaos.fault.FaultField#ID}
	 * @param delay see {@link dev.dbchaos.fault.FaultField#DELAY}
	 * @param jitter see {@link dev.dbchaos.fault.FaultField#JITTER}
	 * @param sqlState see {@link dev.dbchaos.fault.FaultField#SQL_STATE}
	 * @param vendorCode see {@link dev.dbchaos.fault.FaultField#VENDOR_CODE}
	 * @param message see {@link dev.dbchaos.fault.FaultField#MESSAGE}
	 * @param afterRows see {@link dev.dbchaos.fault.FaultField#AFTER_ROWS}
	 * @param table see {@link dev.dbchaos.fault.FaultField#TABLE}
	 * @param mode see {@link dev.dbchaos.fault.FaultField#MODE}
	 * @param connections see {@link dev.dbchaos.fault.FaultField#CONNECTIONS}
	 * @return the new rule
	 * @throws dev.dbchaos.fault.InvalidFaultException naming the offending field
	 */
	@WriteOperation
	public FaultDescriptor add(@Nullable String type, @Nullable String operation, @Nullable String sql,
			@Nullable String dataSource, @Nullable String probability, @Nullable String count,
			@Nullable String duration, @Nullable String scope, @Nullable String id, @Nullable String delay,
			@Nullable String jitter, @Nullable String sqlState, @Nullable String vendorCode, @Nullable String message,
			@Nullable String afterRows, @Nullable String table, @Nullable String mode, @Nullable String connections) {
		return add(FaultRequest.of(type, operation, sql, dataSource, probability, count, duration, scope, id, delay,
				jitter, sqlState, vendorCode, message, afterRows, table, mode, connections));
	}

	@DeleteOperation
	public @Nullable FaultDescriptor remove(@Selector String id) {
		return this.registry.remove(id).map(FaultDescriptor::of).orElse(null);
	}

	@DeleteOperation
	public List<FaultDescriptor> clear(@Nullable String scope) {
		List<FaultRule> removed = (scope != null) ? this.registry.clearScope(scope) : this.registry.clear();
		return removed.stream().map(FaultDescriptor::of).toList();
	}

	/**
	 * Show the work in flight under a scope, at {@code /dbchaos/scopes/{scope}}; with
	 * {@code await} (a duration, at most a minute), first wait up to that long for the
	 * scope to fall quiet.
	 * @param collection must be {@code scopes}
	 * @param scope the scope
	 * @param await how long to wait for quiescence, or {@code null} not to wait
	 * @return the scope's activity, an experiment's report (the collection
	 * {@code experiments}) or the experiment definitions
	 * ({@code experiments/definitions}), or {@code null} (404) for another collection
	 */
	@ReadOperation
	public @Nullable Object scope(@Selector String collection, @Selector String scope, @Nullable String await) {
		ExperimentOperations experiments = this.experiments;
		if (experiments != null && ExperimentOperations.COLLECTION.equals(collection)) {
			if (ExperimentOperations.DEFINITIONS.equals(scope)) {
				return experiments.definitions();
			}
			return experiments.report(scope).orElse(null);
		}
		if (!"scopes".equals(collection)) {
			return null;
		}
		if (await != null) {
			Duration timeout = parseAwait(await);
			try {
				DbChaos.awaitQuiescence(scope, (timeout.compareTo(MAX_AWAIT) > 0) ? MAX_AWAIT : timeout);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return new ScopeDescriptor(scope, DbChaos.inFlight(scope));
	}

	private static Duration parseAwait(String await) {
		try {
			Duration timeout = DurationStyle.detectAndParse(await);
			if (timeout.isNegative()) {
				throw new IllegalArgumentException("negative");
			}
			return timeout;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException("await: '" + await + "' is not a duration such as 5s",
					"await must be a duration such as 5s");
		}
	}

	/**
	 * The work in flight under a scope.
	 *
	 * @param scope the scope
	 * @param inFlight requests, tasks and bound threads of the scope not finished yet
	 */
	public record ScopeDescriptor(String scope, int inFlight) {

	}

	/**
	 * What the endpoint shows: whether dbchaos is on, whether faults can be changed
	 * through the endpoint, the active rules and the wrapped data sources.
	 *
	 * @param enabled always {@code true}: without dbchaos there is no endpoint
	 * @param writable whether faults can be added and removed through the endpoint
	 * @param allowWritesWith the setting that allows it when they cannot, otherwise
	 * {@code null}
	 * @param faults the active rules, oldest first
	 * @param dataSources the wrapped data sources, in the order they were wrapped
	 */
	public record DbChaosDescriptor(boolean enabled, boolean writable,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String allowWritesWith, List<FaultDescriptor> faults,
			List<DataSourceDescriptor> dataSources) {

	}

	/**
	 * A wrapped data source: its name, its pool and where the proxy sits in it.
	 *
	 * @param name the name faults filter by ({@code dataSource}), the bean name
	 * @param pool {@code hikari}, {@code tomcat-jdbc}, {@code dbcp2}, {@code oracle-ucp},
	 * {@code none} (no pool) or the data source's class name; {@code null} (left out) for
	 * a data source the starter did not wrap itself
	 * @param proxy {@code beneath-pool}, {@code above-pool} or {@code around-driver} (no
	 * pool); {@code null} (left out) likewise
	 */
	public record DataSourceDescriptor(String name, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String pool,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String proxy) {

		/**
		 * Describe a data source known by its name only.
		 * @param name the name
		 * @return the description
		 */
		public static DataSourceDescriptor named(String name) {
			return new DataSourceDescriptor(name, null, null);
		}

	}

}
