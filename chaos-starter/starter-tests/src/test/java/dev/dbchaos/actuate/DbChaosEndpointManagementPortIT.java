package dev.dbchaos.actuate;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.testpostgres.ManagedPostgres;
import dev.dbchaos.testpostgres.PostgresProperties;

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
class DbChaosEndpointManagementPortIT {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	@Value("${local.management.port}")
	private int managementPort;

	private TestHttp rest;

	@Autowired
	private FaultRegistry registry;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry properties) {
		PostgresProperties.register(properties, postgres);
	}

	@BeforeEach
	void connect() {
		this.rest = TestHttp.toLocalPort(this.managementPort);
	}

	@AfterEach
	void clearFaults() {
		this.registry.clear();
	}

	@Test
	void validBodyAddsAFault() {
		assertThat(post("{\"type\":\"outage\",\"scope\":\"mgmt\"}").getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(this.registry.getRules()).hasSize(1);
	}

	@Test
	void unknownFieldAnswers400NamingItAndAddsNothing() {
		ResponseEntity<Map<String, Object>> response = post("{\"type\":\"outage\",\"Scope\":\"t-42\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", "Scope")
			.containsEntry("reason", "unknown field; did you mean scope?");
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void malformedJsonAnswers400InTheEndpointsErrorShape() {
		ResponseEntity<Map<String, Object>> response = post("{\"type\":\"outage\",");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsOnlyKeys("status", "error", "field", "reason", "message")
			.containsEntry("field", "body");
		assertThat(this.registry.isIdle()).isTrue();
	}

	private ResponseEntity<Map<String, Object>> post(String json) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		return this.rest.exchange("/actuator/dbchaos", HttpMethod.POST, new HttpEntity<>(json, headers), JSON);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
