package dev.dbchaos.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.client.Fault;
import dev.dbchaos.test.DbChaosTest;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DbChaosTest @DbChaosTest} on Spring Boot 4 and JUnit 6: the test gets a client
 * bound to a scope of its own, and its calls through Spring Boot's
 * {@code RestClient.Builder} carry that scope, so a fault it injects reaches its own
 * requests and no one else's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.dbchaos.access=unrestricted",
				"dbchaos.endpoint.allow-anonymous-writes=true" })
@DbChaosTest
class SampleDbChaosTestIT {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	@Autowired
	private RestClient.Builder restClient;

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, postgres, "boot4_sample_dbchaos_test_it");
	}

	@Test
	void faultInTheTestsScopeReachesOnlyTheTestsRequests(DbChaosClient chaos) throws Exception {
		chaos.inject(Fault.outage());
		HttpStatus inScope = HttpStatus.valueOf(this.restClient.baseUrl("http://localhost:" + this.port)
			.build()
			.get()
			.uri("/api/notes")
			.retrieve()
			.onStatus((status) -> true, (request, response) -> {
			})
			.toBodilessEntity()
			.getStatusCode()
			.value());
		HttpResponse<String> outOfScope = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/notes")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(inScope).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(outOfScope.statusCode()).isEqualTo(200);
	}

}
