package dev.dbchaos.it.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.bus.ServiceMatcher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.demo.ShopClient;

/**
 * One instance of the demo in the {@code fleet} profile, started in this JVM with a
 * context of its own on a port of its own, and its dbchaos endpoint as the ops user. Its
 * requests never throw on an error status, so that tests assert on it.
 */
final class FleetInstance implements AutoCloseable {

	private static final String ENDPOINT = "/actuator/dbchaos";

	private final ConfigurableApplicationContext context;

	private final int port;

	private final RestClient ops;

	private FleetInstance(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		this.ops = new ShopClient(this.port).rest()
			.mutate()
			.defaultHeaders((headers) -> headers.setBasicAuth(ShopClient.OPS_USER, ShopClient.OPS_PASSWORD))
			.build();
	}

	/**
	 * Start an instance.
	 * @param busId its bus id, {@code <application>:<instance>}
	 * @param properties what else it runs with (database, broker)
	 * @return the running instance
	 */
	static FleetInstance start(String busId, Map<String, String> properties) {
		List<String> arguments = new ArrayList<>();
		properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		arguments.add("--server.port=0");
		arguments.add("--spring.cloud.bus.id=" + busId);
		return new FleetInstance(new SpringApplicationBuilder(DemoApplication.class).profiles("fleet")
			.run(arguments.toArray(String[]::new)));
	}

	/**
	 * The bus id the instance runs with, from which {@code FleetShare} decides whether a
	 * share applies to it.
	 * @return the bus id
	 */
	String busId() {
		return this.context.getBean(ServiceMatcher.class).getBusId();
	}

	/**
	 * A client of the shop, for requests that a scoped fault targets.
	 * @param scope the scope the requests carry
	 * @return the client
	 */
	ShopClient shop(String scope) {
		return new ShopClient(this.port).inScope(scope);
	}

	ResponseEntity<JsonNode> post(Map<String, String> fault) {
		return this.ops.post()
			.uri(ENDPOINT)
			.contentType(MediaType.APPLICATION_JSON)
			.body(fault)
			.retrieve()
			.toEntity(JsonNode.class);
	}

	ResponseEntity<JsonNode> startExperiment(Map<String, Object> experiment) {
		return this.ops.post()
			.uri(ENDPOINT + "/experiments")
			.contentType(MediaType.APPLICATION_JSON)
			.body(experiment)
			.retrieve()
			.toEntity(JsonNode.class);
	}

	ResponseEntity<JsonNode> abortExperiment(String id) {
		return this.ops.delete().uri(ENDPOINT + "/experiments/{id}", id).retrieve().toEntity(JsonNode.class);
	}

	ResponseEntity<JsonNode> delete(String id) {
		return this.ops.delete().uri(ENDPOINT + "/{id}", id).retrieve().toEntity(JsonNode.class);
	}

	/**
	 * Ask every instance to re-read its configuration: {@code POST /actuator/busrefresh}.
	 * @return the answer
	 */
	ResponseEntity<Void> busRefresh() {
		return this.ops.post().uri("/actuator/busrefresh").retrieve().toBodilessEntity();
	}

	ResponseEntity<JsonNode> clearEveryInstance() {
		return this.ops.delete().uri(ENDPOINT + "?instances=all").retrieve().toEntity(JsonNode.class);
	}

	/**
	 * The faults this instance lists: its own and, for fleet faults, the whole fleet's.
	 * @return the faults
	 */
	List<JsonNode> faults() {
		JsonNode body = this.ops.get().uri(ENDPOINT).retrieve().body(JsonNode.class);
		List<JsonNode> faults = new ArrayList<>();
		body.get("faults").forEach(faults::add);
		return faults;
	}

	Optional<JsonNode> fault(String id) {
		return faults().stream().filter((fault) -> id.equals(fault.get("id").asText())).findFirst();
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Override
	public String toString() {
		return busId() + " on port " + this.port;
	}

}
