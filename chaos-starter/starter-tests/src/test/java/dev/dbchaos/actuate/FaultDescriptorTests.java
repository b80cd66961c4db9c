package dev.dbchaos.actuate;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FaultDescriptor}.
 */
class FaultDescriptorTests {

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void ruleIsShownWithItsIdFirstThenItsFieldsAsPostedThenItsLifetime() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.LATENCY)
			.operation(Operation.QUERY)
			.sql("(?i)select")
			.dataSource("orders")
			.probability(0.5)
			.count(3)
			.duration(Duration.ofMinutes(2))
			.scope("t-1")
			.id("slow")
			.delay(Duration.ofMillis(250))
			.jitter(Duration.ofNanos(1500))
			.build());
		FaultDescriptor descriptor = FaultDescriptor.of(rule);
		assertThat(descriptor.toMap()).containsExactly(entry("id", "slow"), entry("type", "latency"),
				entry("operation", "query"), entry("sql", "(?i)select"), entry("dataSource", "orders"),
				entry("probability", 0.5), entry("count", 3), entry("remaining", 3), entry("scope", "t-1"),
				entry("delay", "250ms"), entry("jitter", "1500ns"), entry("createdAt", rule.getCreatedAt()),
				entry("expiresAt", rule.getExpiresAt()), entry("injections", 0L));
		assertThat(descriptor.id()).isEqualTo("slow");
		assertThat(descriptor.type()).isEqualTo("latency");
	}

	@Test
	void fieldsThatAreNotSetAreLeftOutButOperationAndProbabilityAlwaysShow() {
		FaultRule rule = this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").build());
		assertThat(FaultDescriptor.of(rule).toMap())
			.containsOnlyKeys("id", "type", "operation", "probability", "sqlState", "createdAt", "expiresAt",
					"injections")
			.containsEntry("operation", "any")
			.containsEntry("probability", 1.0)
			.containsEntry("id", rule.getId());
	}

	private static Map.Entry<String, Object> entry(String key, Object value) {
		return Map.entry(key, value);
	}

}
