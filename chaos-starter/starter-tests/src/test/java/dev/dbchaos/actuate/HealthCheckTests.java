package dev.dbchaos.actuate;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dbchaos.experiment.Observation;
import dev.dbchaos.fault.InvalidFaultException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HealthCheckTests {

	private final Map<String, String> statuses = new HashMap<>(Map.of("readiness", "UP"));

	@Test
	void holdsWhileTheHealthHasTheStatus() {
		HealthCheck check = new HealthCheck(this.statuses::get, "guards[0].health", "readiness", "UP");
		assertThat(check.observe()).isEqualTo(new Observation(true, "UP"));
		this.statuses.put("readiness", "OUT_OF_SERVICE");
		assertThat(check.observe()).isEqualTo(new Observation(false, "OUT_OF_SERVICE"));
		assertThat(check.description()).isEqualTo("health readiness is UP");
	}

	@Test
	void anUnknownHealthIsRefusedNamingTheField() {
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> new HealthCheck(this.statuses::get, "hypothesis[0].health", "readines", "UP"))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("hypothesis[0].health"));
	}

}
