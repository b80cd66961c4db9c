package dev.dbchaos.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.audit.AuditEvent;

import dev.dbchaos.actuate.DbChaosAuditEvent.Action;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DbChaosAuditEvent}.
 */
class DbChaosAuditEventTests {

	private static final Instant NOW = Instant.parse("2026-12-03T03:00:00Z");

	private final FaultDescriptor outage = FaultDescriptor.of("drill-1",
			FaultSpec.builder(FaultType.OUTAGE).duration(Duration.ofMinutes(1)).build(), NOW, NOW.plusSeconds(60));

	@Test
	void eachActionHasItsOwnSpringBootAuditType() {
		assertThat(List.of(Action.values())).extracting((action) -> audit(action, null).getType())
			.containsExactly("DBCHAOS_FAULT_ADDED", "DBCHAOS_FAULT_REMOVED", "DBCHAOS_FAULTS_CLEARED");
	}

	@Test
	void springBootAuditEventNamesThePrincipalTheRulesAndWhereTheRequestCameFrom() {
		AuditEvent audit = audit(Action.ADDED, null);
		assertThat(audit.getPrincipal()).isEqualTo("ops");
		assertThat(audit.getData()).containsEntry("faults", List.of("drill-1"))
			.containsEntry("remoteAddress", "10.0.0.9")
			.doesNotContainKey("origin");
	}

	@Test
	void fleetChangeNamesTheInstanceThatReceivedTheRequest() {
		assertThat(audit(Action.REMOVED, "shop:8081:a1").getData()).containsEntry("origin", "shop:8081:a1");
	}

	private AuditEvent audit(Action action, String origin) {
		return new DbChaosAuditEvent(this, action, List.of(this.outage), "ops", "10.0.0.9", origin)
			.toAuditApplicationEvent()
			.getAuditEvent();
	}

}
