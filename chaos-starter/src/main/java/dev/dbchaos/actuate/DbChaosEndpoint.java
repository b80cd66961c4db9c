package dev.dbchaos.actuate;

import java.util.List;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * {@link Endpoint @Endpoint} to list, add and remove fault rules at runtime. Read-only unless
 * {@code management.endpoint.dbchaos.access=unrestricted}: breaking a database is a write.
 *
 * @author dbchaos
 * @see DbChaosEndpointWebExtension
 */
@Endpoint(id = "dbchaos", defaultAccess = Access.READ_ONLY)
public class DbChaosEndpoint {

	private final FaultRegistry registry;

	/**
	 * Create an endpoint.
	 * @param registry the rules in force
	 */
	public DbChaosEndpoint(FaultRegistry registry) {
		this.registry = registry;
	}

	@ReadOperation
	public DbChaosDescriptor faults() {
		List<FaultDescriptor> faults = this.registry.getRules().stream().map(FaultDescriptor::of).toList();
		return new DbChaosDescriptor(true, faults, this.registry.getDataSources());
	}

	@ReadOperation
	public FaultDescriptor fault(@Selector String id) {
		return this.registry.get(id).map(FaultDescriptor::of).orElse(null);
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

	@WriteOperation
	public FaultDescriptor add(@Nullable String type, @Nullable String operation, @Nullable String sql,
			@Nullable String dataSource, @Nullable String probability, @Nullable String count,
			@Nullable String duration, @Nullable String scope, @Nullable String id, @Nullable String delay,
			@Nullable String jitter, @Nullable String sqlState, @Nullable String message) {
		return add(new FaultRequest(type, operation, sql, dataSource, probability, count, duration, scope, id, delay,
				jitter, sqlState, message));
	}

	@DeleteOperation
	public FaultDescriptor remove(@Selector String id) {
		return this.registry.remove(id).map(FaultDescriptor::of).orElse(null);
	}

	@DeleteOperation
	public List<FaultDescriptor> clear() {
		List<FaultRule> removed = this.registry.clear();
		return removed.stream().map(FaultDescriptor::of).toList();
	}

	/**
	 * What the endpoint shows: whether dbchaos is on, the active rules and the wrapped data
	 * sources.
	 *
	 * @param enabled always {@code true}: without dbchaos there is no endpoint
	 * @param faults the active rules, oldest first
	 * @param dataSources the bean names of the wrapped data sources
	 */
	public record DbChaosDescriptor(boolean enabled, List<FaultDescriptor> faults, List<String> dataSources) {

	}

}
