package dev.dbchaos.actuate;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * What the integration tests of the {@code dbchaos} endpoint share: the application on
 * the shared PostgreSQL, a {@link TestHttp} to the port the endpoint listens on, and a
 * {@link FaultRegistry} that is empty again after each test. Each subclass says with its
 * own {@code @SpringBootTest} how the endpoint is configured.
 */
abstract class AbstractDbChaosEndpointIT {

	/** A JSON object, as the endpoint answers. */
	static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Autowired
	private Environment environment;

	@Autowired
	private FaultRegistry registry;

	private TestHttp rest;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry properties) {
		DatabaseProperties.register(properties, ManagedPostgres.shared());
	}

	@BeforeEach
	void connect() {
		this.rest = TestHttp.toLocalPort(this.environment.getRequiredProperty(portProperty(), Integer.class));
	}

	@AfterEach
	void clearFaults() {
		this.registry.clear();
	}

	/**
	 * Return the property that holds the port the endpoint listens on.
	 * @return {@code local.server.port}, the application's port
	 */
	String portProperty() {
		return "local.server.port";
	}

	/**
	 * Return the client of the application under test.
	 * @return the client
	 */
	final TestHttp rest() {
		return this.rest;
	}

	/**
	 * Return the application's fault registry.
	 * @return the registry
	 */
	final FaultRegistry registry() {
		return this.registry;
	}

	/**
	 * Post a JSON body to the endpoint.
	 * @param json the body
	 * @return the answer
	 */
	final ResponseEntity<Map<String, Object>> post(String json) {
		return post(json, new HttpHeaders());
	}

	/**
	 * Post a JSON body to the endpoint with more headers.
	 * @param json the body
	 * @param headers the headers besides the content type
	 * @return the answer
	 */
	final ResponseEntity<Map<String, Object>> post(String json, HttpHeaders headers) {
		HttpHeaders all = new HttpHeaders();
		all.addAll(headers);
		all.setContentType(MediaType.APPLICATION_JSON);
		return this.rest.exchange("/actuator/dbchaos", HttpMethod.POST, new HttpEntity<>(json, all), JSON);
	}

}
