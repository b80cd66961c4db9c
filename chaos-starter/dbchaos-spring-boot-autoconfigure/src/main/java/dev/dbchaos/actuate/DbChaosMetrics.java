package dev.dbchaos.actuate;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.JdbcCall;

/**
 * Micrometer metrics of dbchaos: {@code dbchaos.injections} (calls affected, by type, operation
 * and data source), {@code dbchaos.faults.active} (rules in force, by type) and
 * {@code dbchaos.injected.delay} (time calls were held back by latency and hang faults).
 *
 * @author dbchaos
 */
public class DbChaosMetrics implements MeterBinder, FaultListener {

	private final FaultRegistry registry;

	private volatile MeterRegistry meterRegistry;

	/**
	 * Create the metrics for a registry; {@link #bindTo(MeterRegistry)} registers them.
	 * @param registry the rules in force
	 */
	public DbChaosMetrics(FaultRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meterRegistry) {
		for (FaultType type : FaultType.values()) {
			Gauge.builder("dbchaos.faults.active", this.registry, (faults) -> countActive(faults, type))
				.tag("type", type.id())
				.description("Fault rules in force")
				.register(meterRegistry);
		}
		this.meterRegistry = meterRegistry;
		this.registry.addListener(this);
	}

	private static double countActive(FaultRegistry registry, FaultType type) {
		return registry.getRules().stream().filter((rule) -> rule.getType() == type).count();
	}

	@Override
	public void injected(FaultRule rule, JdbcCall call) {
		MeterRegistry meters = this.meterRegistry;
		if (meters != null) {
			Counter.builder("dbchaos.injections")
				.description("JDBC calls affected by a fault")
				.tag("type", rule.getType().id())
				.tag("operation", call.operation().id())
				.tag("datasource", call.dataSource())
				.register(meters)
				.increment();
		}
	}

	@Override
	public void delayed(FaultRule rule, JdbcCall call, Duration delay) {
		MeterRegistry meters = this.meterRegistry;
		if (meters != null) {
			Timer.builder("dbchaos.injected.delay")
				.description("Time JDBC calls were held back by latency and hang faults")
				.tag("type", rule.getType().id())
				.tag("datasource", call.dataSource())
				.register(meters)
				.record(delay);
		}
	}

}
