package dev.dbchaos.actuate;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * Calls the application under test over HTTP and hands back every answer, errors
 * included, as a {@link ResponseEntity}. Built on Spring Framework's {@link RestClient},
 * which both Spring Boot generations have in the same place ({@code TestRestTemplate}
 * moved in Spring Boot 4), so that the endpoint tests run unchanged on both.
 */
final class TestHttp {

	private final RestClient client;

	private TestHttp(RestClient client) {
		this.client = client;
	}

	/**
	 * Create a client for the application listening on a port of this machine.
	 * @param port the port ({@code local.server.port})
	 * @return the client
	 */
	static TestHttp toLocalPort(int port) {
		return new TestHttp(RestClient.builder().baseUrl("http://localhost:" + port).build());
	}

	<T> ResponseEntity<T> exchange(String path, HttpMethod method, HttpEntity<?> request,
			ParameterizedTypeReference<T> type) {
		return send(path, method, request).toEntity(type);
	}

	<T> ResponseEntity<T> exchange(String path, HttpMethod method, HttpEntity<?> request, Class<T> type) {
		return send(path, method, request).toEntity(type);
	}

	<T> ResponseEntity<T> getForEntity(String path, Class<T> type) {
		return exchange(path, HttpMethod.GET, null, type);
	}

	private RestClient.ResponseSpec send(String path, HttpMethod method, HttpEntity<?> request) {
		RestClient.RequestBodySpec spec = this.client.method(method).uri(path);
		if (request != null) {
			spec.headers((headers) -> headers.addAll(request.getHeaders()));
			if (request.getBody() != null) {
				spec.body(request.getBody());
			}
		}
		// An error status is an answer to assert on, not a failure of the call.
		return spec.retrieve().onStatus((status) -> true, (call, response) -> {
		});
	}

}
