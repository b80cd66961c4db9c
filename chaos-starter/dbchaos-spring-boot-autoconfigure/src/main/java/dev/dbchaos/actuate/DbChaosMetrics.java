package dev.dbchaos.actuate;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.dbchaos.Registration;
import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.JdbcCall;

/**
 * Micrometer metrics of dbchaos: {@code dbchaos.injections} (calls affected, by type,
 * operation and data source), {@code dbchaos.faults.active} (rules in force, by type) and
 * {@code dbchaos.injected.delay} (time calls were held back by latency and hang faults).
 * <p>
 * Each {@link MeterRegistry} it is {@linkplain #bindTo(MeterRegistry) bound to} gets a
 * listener of its own on the {@link FaultRegistry}, as Resilience4j's tagged metrics bind
 * each meter registry separately: every registry counts every injection once. Binding the
 * same meter registry again changes nothing. {@link #close()} stops the counting.
 *
 * @since 0.1.0
 */
public class DbChaosMetrics implements MeterBinder, AutoCloseable {

	private final FaultRegistry registry;

	// The meter registries bound, by identity, each with its listener's registration.
	private final Map<MeterRegistry, Registration> bindings = new IdentityHashMap<>();

	/**
	 * Create the metrics for a registry; {@link #bindTo(MeterRegistry)} registers them.
	 * @param registry the rules in force
	 */
	public DbChaosMetrics(FaultRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		synchronized (this.bindings) {
			if (this.bindings.containsKey(meterRegistry)) {
				return;
			}
			for (FaultType type : FaultType.values()) {
				Gauge.builder("dbchaos.faults.active", this.registry, (faults) -> countActive(faults, type))
					.tag("type", type.id())
					.description("Fault rules in force")
					.register(meterRegistry);
			}
			this.bindings.put(meterRegistry, this.registry.addListener(new Binding(meterRegistry)));
		}
	}

	/**
	 * Stop counting injections and delays in every meter registry bound so far. The
	 * meters stay in the meter registries.
	 */
	@Override
	public void close() {
		List<Registration> registrations;
		synchronized (this.bindings) {
			registrations = List.copyOf(this.bindings.values());
			this.bindings.clear();
		}
		registrations.forEach(Registration::close);
	}

	private static double countActive(FaultRegistry registry, FaultType type) {
		return registry.getRules().stream().filter((rule) -> rule.getType() == type).count();
	}

	/**
	 * Records into one meter registry.
	 */
	private static final class Binding implements FaultListener {

		private final MeterRegistry meters;

		Binding(MeterRegistry meters) {
			this.meters = meters;
		}

		@Override
		public void injected(FaultRule rule, JdbcCall call) {
			Counter.builder("dbchaos.injections")
				.description("JDBC calls affected by a fault")
				.tag("type", rule.getType().id())
				.tag("operation", call.operation().id())
				.tag("datasource", call.dataSource())
				.register(this.meters)
				.increment();
		}

		@Override
		public void delayed(FaultRule rule, JdbcCall call, Duration delay) {
			Timer.builder("dbchaos.injected.delay")
				.description("Time JDBC calls were held back by latency and hang faults")
				.tag("type", rule.getType().id())
				.tag("datasource", call.dataSource())
				.register(this.meters)
				.record(delay);
		}

		@Override
		public String toString() {
			return "DbChaosMetrics[" + this.meters + "]";
		}

	}

}
