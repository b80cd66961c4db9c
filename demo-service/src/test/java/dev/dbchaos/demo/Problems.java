package dev.dbchaos.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on the shop's RFC 9457 error answers.
 */
public final class Problems {

	private Problems() {
	}

	/**
	 * Assert that the answer is the 503 that says the database is unavailable, with a
	 * {@code Retry-After} and never a stack trace.
	 * @param response the answer
	 */
	public static void assertDatabaseUnavailable(ResponseEntity<JsonNode> response) {
		assertThat(response.getStatusCode()).as("status of %s", response.getBody())
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getHeaders().getFirst("Retry-After")).isNotBlank();
		assertThat(response.getBody().get("title").asText()).isEqualTo("Database unavailable");
		assertThat(response.getBody().get("detail").asText()).startsWith("The database is unavailable");
		assertThat(response.getBody().toString()).doesNotContain("Exception", "\tat ");
	}

	/**
	 * Assert that the answer is the 503 of an open circuit breaker: refused without
	 * asking the database, and saying so.
	 * @param response the answer
	 */
	public static void assertRefusedByOpenCircuit(ResponseEntity<JsonNode> response) {
		assertDatabaseUnavailable(response);
		assertThat(response.getBody().get("detail").asText()).contains("(circuit breaker open)");
	}

}
