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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as shipped: the {@code dbchaos} endpoint's access is read-only by default,
 * so faults can be listed but not added or removed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleReadOnlyAccessIT {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final HttpClient http = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private FaultRegistry registry;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, postgres, "boot4_sample_read_only_it");
	}

	@Test
	void faultsCanBeListedButNotAddedOrRemoved() throws Exception {
		URI endpoint = URI.create("http://localhost:" + this.port + "/actuator/dbchaos");
		HttpResponse<String> list = this.http.send(HttpRequest.newBuilder(endpoint).build(),
				HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> add = this.http.send(HttpRequest.newBuilder(endpoint)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"outage\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> clear = this.http.send(HttpRequest.newBuilder(endpoint).DELETE().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(add.statusCode()).isEqualTo(405);
		assertThat(clear.statusCode()).isEqualTo(405);
		assertThat(this.registry.isIdle()).isTrue();
	}

}
