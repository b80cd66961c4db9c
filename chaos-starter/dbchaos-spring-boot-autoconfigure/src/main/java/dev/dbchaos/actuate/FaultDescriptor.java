package dev.dbchaos.actuate;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;

/**
 * A fault rule as the endpoint shows it: its fields in the form they are posted in, plus its
 * lifetime and how many calls it has affected.
 *
 * @author dbchaos
 */
// Fields a rule does not use are left out rather than shown as null, whatever the
// application's own Jackson settings are.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultDescriptor(String id, String type, String operation, String sql, String dataSource,
		double probability, Integer count, Integer remaining, String scope, String delay, String jitter,
		String sqlState, String message, Instant createdAt, Instant expiresAt, long injections) {

	/**
	 * Describe a rule.
	 * @param rule the rule
	 * @return its descriptor
	 */
	public static FaultDescriptor of(FaultRule rule) {
		FaultSpec spec = rule.getSpec();
		return new FaultDescriptor(rule.getId(), spec.getType().id(), spec.getOperation().id(),
				(spec.getSql() != null) ? spec.getSql().pattern() : null, spec.getDataSource(), spec.getProbability(),
				spec.getCount(), rule.getRemaining(), spec.getScope(), text(spec.getDelay()), text(spec.getJitter()),
				spec.getSqlState(), spec.getMessage(), rule.getCreatedAt(), rule.getExpiresAt(), rule.getInjections());
	}

	private static String text(Duration duration) {
		if (duration == null) {
			return null;
		}
		return (duration.toNanos() % 1_000_000 == 0) ? duration.toMillis() + "ms" : duration.toNanos() + "ns";
	}

}
