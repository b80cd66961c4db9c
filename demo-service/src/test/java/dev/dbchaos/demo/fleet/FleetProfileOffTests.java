package dev.dbchaos.demo.fleet;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.bus.BusBridge;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.demo.AbstractShopTests;
import dev.dbchaos.demo.ShopClient;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without the {@code fleet} profile the shop has Spring Cloud Bus and RabbitMQ on its
 * class path and uses neither: no connection to a broker (there is none here), nothing
 * about one in its health, and a fault posted with {@code instances} is refused. The
 * profile itself runs against a real broker in {@code FleetOverRabbitMqIT}
 * (integration-tests).
 */
class FleetProfileOffTests extends AbstractShopTests {

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, ManagedPostgres.shared(), "fleet_profile_off_tests");
	}

	@Test
	void noBusAndNoRabbitConnectionFactoryAreCreated() {
		assertThat(this.context.getBeanNamesForType(BusBridge.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(ConnectionFactory.class)).isEmpty();
	}

	@Test
	void healthNamesNeitherRabbitNorTheBindersAndIsUp() {
		JsonNode health = shop().rest().get().uri("/actuator/health").retrieve().body(JsonNode.class);
		assertThat(health.get("status").asText()).isEqualTo("UP");
		assertThat(health.get("components").has("db")).isTrue();
		assertThat(health.get("components").has("rabbit")).isFalse();
		assertThat(health.get("components").has("binders")).isFalse();
	}

	@Test
	void aFleetFaultIsRefusedNamingInstances() {
		ResponseEntity<JsonNode> refused = shop().rest()
			.post()
			.uri("/actuator/dbchaos")
			.headers((headers) -> headers.setBasicAuth(ShopClient.OPS_USER, ShopClient.OPS_PASSWORD))
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("type", "outage", "duration", "1m", "instances", "all"))
			.retrieve()
			.toEntity(JsonNode.class);
		assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(refused.getBody().get("field").asText()).isEqualTo("instances");
	}

}
