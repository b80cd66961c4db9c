package dev.dbchaos.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.client.DbChaosClientException;
import dev.dbchaos.client.Fault;
import dev.dbchaos.client.FaultHandle;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Spring Boot 4 sample, with nothing but {@code dbchaos-spring-boot4-starter}, Spring
 * MVC, JDBC and actuator, against a real PostgreSQL: faults added, read, removed and
 * cleared through {@code /actuator/dbchaos} with {@link DbChaosClient}, bad input refused
 * naming the field, and the faults visible in the application's metrics and health. Each
 * test works in a scope of its own, so that it neither sees nor breaks another's
 * requests.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.dbchaos.access=unrestricted", "dbchaos.max-duration=10m",
				"dbchaos.endpoint.allow-anonymous-writes=true" })
class SampleIT {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	private int port;

	private String scope;

	private DbChaosClient chaos;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, postgres, "boot4_sample_it");
	}

	@BeforeEach
	void scopeOfItsOwn(TestInfo test) {
		this.scope = test.getTestMethod().orElseThrow().getName();
		this.chaos = DbChaosClient.create(uri("/actuator/dbchaos")).forScope(this.scope);
	}

	@Test
	void scopedOutageMakesTheScopesRequestsAnswer503AndLeavesOthersAlone() throws Exception {
		try (FaultHandle outage = this.chaos.inject(Fault.outage().duration(Duration.ofMinutes(1)))) {
			assertThat(get("/api/notes", this.scope).statusCode()).isEqualTo(503);
			assertThat(get("/api/notes", null).statusCode()).isEqualTo(200);
		}
		assertThat(get("/api/notes", this.scope).statusCode()).isEqualTo(200);
	}

	@Test
	void faultIsListedReadByIdAndRemoved() throws Exception {
		FaultHandle latency = this.chaos
			.inject(Fault.latency(Duration.ofMillis(50)).operation("query").id("listed-latency"));
		Map<String, Object> listed = read(get("/actuator/dbchaos", null));
		assertThat(listed).containsEntry("enabled", true)
			.containsEntry("dataSources",
					List.of(Map.of("name", "dataSource", "pool", "hikari", "proxy", "beneath-pool")));
		assertThat(listed.get("faults")).asString().contains(latency.getId());
		Map<String, Object> one = read(get("/actuator/dbchaos/" + latency.getId(), null));
		assertThat(one).containsEntry("type", "latency")
			.containsEntry("delay", "50ms")
			.containsEntry("operation", "query")
			.containsEntry("scope", this.scope);
		latency.close();
		assertThat(get("/actuator/dbchaos/" + latency.getId(), null).statusCode()).isEqualTo(404);
	}

	@Test
	void clearRemovesOnlyTheScopesFaults() throws Exception {
		this.chaos.inject(Fault.readOnly());
		this.chaos.inject(Fault.hang().operation("update"));
		DbChaosClient other = DbChaosClient.create(uri("/actuator/dbchaos")).forScope(this.scope + "-other");
		FaultHandle theirs = other.inject(Fault.outage());
		this.chaos.clear();
		assertThat(read(get("/actuator/dbchaos", null)).get("faults")).asString()
			.contains(theirs.getId())
			.doesNotContain("read-only");
		theirs.close();
	}

	@Test
	void badInputIsRefusedWith400NamingTheFieldAndChangesNothing() throws Exception {
		assertThatExceptionOfType(DbChaosClientException.class)
			.isThrownBy(() -> this.chaos.inject(Fault.outage().probability(1.5)))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(400);
				Map<String, Object> body = json.readValue(ex.getBody(), new TypeReference<>() {
				});
				assertThat(body).containsEntry("field", "probability");
				assertThat((String) body.get("reason")).contains("between 0 and 1");
			});
		assertThat(read(get("/actuator/dbchaos", null)).get("faults")).asString().doesNotContain(this.scope);
	}

	@Test
	void unknownFaultAnswers404() throws Exception {
		assertThat(get("/actuator/dbchaos/no-such-fault", null).statusCode()).isEqualTo(404);
		HttpRequest delete = HttpRequest.newBuilder(uri("/actuator/dbchaos/no-such-fault")).DELETE().build();
		assertThat(this.http.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
	}

	@Test
	void injectionsAreCountedInTheApplicationsMetrics() throws Exception {
		try (FaultHandle error = this.chaos.inject(Fault.error("40001").operation("query"))) {
			assertThat(get("/api/notes", this.scope).statusCode()).isEqualTo(503);
			Map<String, Object> injections = read(
					get("/actuator/metrics/dbchaos.injections?tag=type:error&tag=operation:query", null));
			assertThat(injections.get("measurements")).asString().contains("COUNT");
			assertThat(count(injections)).isGreaterThanOrEqualTo(1);
			Map<String, Object> active = read(get("/actuator/metrics/dbchaos.faults.active?tag=type:error", null));
			assertThat(count(active)).isGreaterThanOrEqualTo(1);
		}
	}

	@Test
	void healthShowsTheFaultsAndTheDatabaseDownOnlyInTheFaultsScope() throws Exception {
		try (FaultHandle outage = this.chaos.inject(Fault.outage().id("health-outage"))) {
			Map<String, Object> unscoped = read(get("/actuator/health", null));
			assertThat(unscoped).containsEntry("status", "UP");
			assertThat(component(unscoped, "dbchaos")).containsEntry("status", "UP");
			assertThat(component(unscoped, "dbchaos").get("details")).asString().contains(outage.getId());
			HttpResponse<String> scoped = get("/actuator/health", this.scope);
			assertThat(scoped.statusCode()).isEqualTo(503);
			assertThat(component(parse(scoped), "db")).containsEntry("status", "DOWN");
		}
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> get(String path, String inScope) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
		if (inScope != null) {
			request.header("X-DbChaos-Scope", inScope);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static Map<String, Object> read(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return parse(response);
	}

	private static Map<String, Object> parse(HttpResponse<String> response) {
		return json.readValue(response.body(), new TypeReference<>() {
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> component(Map<String, Object> health, String name) {
		return (Map<String, Object>) ((Map<String, Object>) health.get("components")).get(name);
	}

	@SuppressWarnings("unchecked")
	private static double count(Map<String, Object> meter) {
		return ((List<Map<String, Object>>) meter.get("measurements")).stream()
			.mapToDouble((measurement) -> ((Number) measurement.get("value")).doubleValue())
			.max()
			.orElse(0);
	}

}
