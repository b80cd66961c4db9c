package dev.dbchaos.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import dev.dbchaos.client.DbChaosClient;

/**
 * Talks to the shop under test over real HTTP, the way shoppers, admins and API clients
 * do. Never throws on an error status, so that tests assert on it; gives up on a request
 * after 15 s, so that a hanging shop fails the test instead of hanging the build. Shared
 * with the integration tests through the demo's test jar.
 */
public final class ShopClient {

	/** The development credentials of the ops user. */
	public static final String OPS_USER = "ops";

	/** The development password of the ops user. */
	public static final String OPS_PASSWORD = "ops";

	/**
	 * The request header that binds a request to a dbchaos scope (the starter's default).
	 */
	public static final String SCOPE_HEADER = "X-DbChaos-Scope";

	private final int port;

	private final RestClient rest;

	public ShopClient(int port) {
		this(port, null);
	}

	private ShopClient(int port, String scope) {
		this.port = port;
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
		requestFactory.setReadTimeout(Duration.ofSeconds(15));
		this.rest = RestClient.builder().baseUrl(baseUrl()).requestFactory(requestFactory).defaultHeaders((headers) -> {
			if (scope != null) {
				headers.set(SCOPE_HEADER, scope);
			}
		}).defaultStatusHandler((status) -> true, (request, response) -> {
		}).build();
	}

	/**
	 * Return a client whose requests carry a scope: faults of that scope apply to them,
	 * and the work they start can be awaited with {@link DbChaosClient#awaitQuiescence}.
	 * @param scope the scope
	 * @return the client
	 */
	public ShopClient inScope(String scope) {
		return new ShopClient(this.port, scope);
	}

	public String baseUrl() {
		return "http://localhost:" + this.port;
	}

	/**
	 * Return a client of the shop's dbchaos endpoint, as the ops user (writes need role
	 * ops).
	 * @return the client
	 */
	public DbChaosClient chaos() {
		return DbChaosClient.create(URI.create(baseUrl() + "/actuator/dbchaos")).withBasicAuth(OPS_USER, OPS_PASSWORD);
	}

	public ResponseEntity<String> page() {
		return this.rest.get().uri("/").accept(MediaType.TEXT_HTML).retrieve().toEntity(String.class);
	}

	/**
	 * Return the part of the shopper page that the page itself polls to update.
	 * @return the catalogue fragment
	 */
	public ResponseEntity<String> catalogueFragment() {
		return this.rest.get().uri("/catalogue").accept(MediaType.TEXT_HTML).retrieve().toEntity(String.class);
	}

	public ResponseEntity<JsonNode> release(long sneakerId) {
		return this.rest.post()
			.uri("/admin/sneakers/{id}/release", sneakerId)
			.headers((headers) -> headers.setBasicAuth(OPS_USER, OPS_PASSWORD))
			.retrieve()
			.toEntity(JsonNode.class);
	}

	public ResponseEntity<JsonNode> sneakers() {
		return this.rest.get().uri("/api/sneakers").retrieve().toEntity(JsonNode.class);
	}

	public ResponseEntity<JsonNode> order(String idempotencyKey, long sneakerId, String size, int quantity) {
		return order(idempotencyKey, Map.of("sneakerId", sneakerId, "size", size, "quantity", quantity));
	}

	public ResponseEntity<JsonNode> order(String idempotencyKey, Object body) {
		return this.rest.post().uri("/api/orders").headers((headers) -> {
			if (idempotencyKey != null) {
				headers.set("Idempotency-Key", idempotencyKey);
			}
		}).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(JsonNode.class);
	}

	public ResponseEntity<JsonNode> getOrder(long id) {
		return this.rest.get().uri("/api/orders/{id}", id).retrieve().toEntity(JsonNode.class);
	}

	/**
	 * Return the underlying client, for the odd request the methods above do not cover.
	 * @return the client
	 */
	public RestClient rest() {
		return this.rest;
	}

}
