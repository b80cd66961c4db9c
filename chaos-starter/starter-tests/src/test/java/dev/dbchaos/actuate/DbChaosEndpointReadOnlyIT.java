package dev.dbchaos.actuate;

import java.util.Map;

import org.junit.jupiter.api.Test;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for the {@code dbchaos} endpoint, the same on both Spring Boot
 * generations (run by each starter), with its default access: read-only.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos" })
class DbChaosEndpointReadOnlyIT extends AbstractDbChaosEndpointIT {

	@Test
	void rulesCanBeListed() {
		assertThat(rest().getForEntity("/actuator/dbchaos", Map.class).getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void listShowsThatRulesCannotBeChangedAndTheSettingThatAllowsIt() {
		ResponseEntity<Map<String, Object>> response = rest().exchange("/actuator/dbchaos", HttpMethod.GET, null,
				new ParameterizedTypeReference<>() {
				});
		assertThat(response.getBody()).containsEntry("writable", false)
			.containsEntry("allowWritesWith", "management.endpoint.dbchaos.access=unrestricted");
	}

	@Test
	void rulesCannotBeAddedOrRemovedUntilAccessIsUnrestricted() {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		HttpStatus post = HttpStatus.valueOf(
				rest()
					.exchange("/actuator/dbchaos", HttpMethod.POST, new HttpEntity<>("{\"type\":\"outage\"}", headers),
							String.class)
					.getStatusCode()
					.value());
		HttpStatus delete = HttpStatus.valueOf(
				rest().exchange("/actuator/dbchaos", HttpMethod.DELETE, null, String.class).getStatusCode().value());
		assertThat(post).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(delete).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		assertThat(registry().isIdle()).isTrue();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
