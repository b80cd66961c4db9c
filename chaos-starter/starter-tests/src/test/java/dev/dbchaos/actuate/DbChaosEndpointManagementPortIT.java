package dev.dbchaos.actuate;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for the {@code dbchaos} endpoint on a management port of its own, as
 * the README recommends for production: the body is checked there exactly as on the
 * application's port. The same on both Spring Boot generations (run by each starter).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.enabled=true", "management.server.port=0",
				"management.endpoints.web.exposure.include=dbchaos", "management.endpoint.dbchaos.access=unrestricted",
				"dbchaos.endpoint.allow-anonymous-writes=true" })
class DbChaosEndpointManagementPortIT extends AbstractDbChaosEndpointIT {

	@Override
	String portProperty() {
		return "local.management.port";
	}

	@Test
	void validBodyAddsAFault() {
		assertThat(post("{\"type\":\"outage\",\"scope\":\"mgmt\"}").getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(registry().getRules()).hasSize(1);
	}

	@Test
	void unknownFieldAnswers400NamingItAndAddsNothing() {
		ResponseEntity<Map<String, Object>> response = post("{\"type\":\"outage\",\"Scope\":\"t-42\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", "Scope")
			.containsEntry("reason", "unknown field; did you mean scope?");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void malformedJsonAnswers400InTheEndpointsErrorShape() {
		ResponseEntity<Map<String, Object>> response = post("{\"type\":\"outage\",");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsOnlyKeys("status", "error", "field", "reason", "message")
			.containsEntry("field", "body");
		assertThat(registry().isIdle()).isTrue();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
