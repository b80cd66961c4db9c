package dev.dbchaos.actuate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.testpostgres.ManagedPostgres;
import dev.dbchaos.testpostgres.PostgresProperties;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Integration tests for the {@code dbchaos} endpoint, the same on both Spring Boot generations (run by each
 * starter), over HTTP, against a real PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.enabled=true", "dbchaos.max-duration=1h",
				"management.endpoints.web.exposure.include=dbchaos,health",
				"management.endpoint.dbchaos.access=unrestricted", "spring.datasource.hikari.connection-timeout=1000" })
class DbChaosEndpointIT {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	@Value("${local.server.port}")
	private int port;

	private TestHttp rest;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private FaultRegistry registry;

	@Autowired
	private AuditEvents audit;

	@BeforeEach
	void connect() {
		this.rest = TestHttp.toLocalPort(this.port);
	}

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry properties) {
		PostgresProperties.register(properties, postgres);
	}

	@AfterEach
	void clearFaults() {
		this.registry.clear();
	}

	@Test
	void listShowsThatDbchaosIsOnAndWhichDataSourcesItWraps() {
		ResponseEntity<Map<String, Object>> response = this.rest.exchange("/actuator/dbchaos", HttpMethod.GET, null,
				JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("enabled", true)
			.containsEntry("faults", List.of())
			.containsEntry("dataSources", List.of("dataSource"));
	}

	@Test
	void postAddsARuleAndAnswers201WithItsId() {
		ResponseEntity<Map<String, Object>> response = post("""
				{"type":"latency","delay":"250ms","jitter":"50ms","operation":"query","sql":"(?i)from sneakers",
				 "probability":0.5,"duration":"2m","scope":"t-1"}""");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		Map<String, Object> rule = response.getBody();
		assertThat(rule).containsEntry("type", "latency")
			.containsEntry("delay", "250ms")
			.containsEntry("jitter", "50ms")
			.containsEntry("operation", "query")
			.containsEntry("sql", "(?i)from sneakers")
			.containsEntry("probability", 0.5)
			.containsEntry("scope", "t-1")
			.containsKeys("id", "createdAt", "expiresAt");
		assertThat(this.registry.get((String) rule.get("id"))).isPresent();
	}

	@Test
	void postedRuleIsInForceOnTheVeryNextQuery() {
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
		assertThat(post("{\"type\":\"error\",\"sqlState\":\"40001\",\"operation\":\"query\"}").getStatusCode())
			.isEqualTo(HttpStatus.CREATED);
		assertThatExceptionOfType(org.springframework.dao.DataAccessException.class)
			.isThrownBy(() -> this.jdbc.queryForObject("select 1", Integer.class))
			.withMessageContaining("could not serialize access");
	}

	@Test
	void deletedRuleIsGoneFromTheVeryNextQuery() {
		String id = (String) post("{\"type\":\"error\",\"sqlState\":\"40001\",\"operation\":\"query\"}").getBody()
			.get("id");
		assertThat(this.rest.exchange("/actuator/dbchaos/" + id, HttpMethod.DELETE, null, JSON).getStatusCode())
			.isEqualTo(HttpStatus.OK);
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
	}

	@Test
	void oneRuleCanBeReadById() {
		String id = (String) post("{\"type\":\"hang\",\"id\":\"freeze-1\"}").getBody().get("id");
		assertThat(id).isEqualTo("freeze-1");
		ResponseEntity<Map<String, Object>> response = this.rest.exchange("/actuator/dbchaos/freeze-1",
				HttpMethod.GET, null, JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("type", "hang");
	}

	@Test
	void unknownIdAnswers404() {
		assertThat(this.rest.exchange("/actuator/dbchaos/nope", HttpMethod.GET, null, String.class).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(this.rest.exchange("/actuator/dbchaos/nope", HttpMethod.DELETE, null, String.class).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void deleteWithoutIdRemovesEveryRule() {
		post("{\"type\":\"outage\",\"scope\":\"a\"}");
		post("{\"type\":\"read-only\",\"scope\":\"b\"}");
		ResponseEntity<List<Object>> response = this.rest.exchange("/actuator/dbchaos", HttpMethod.DELETE, null,
				new ParameterizedTypeReference<>() {
				});
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).hasSize(2);
		assertThat(this.registry.isIdle()).isTrue();
	}

	@ParameterizedTest(name = "{0} -> 400 on {1}")
	@CsvSource(delimiter = '|', textBlock = """
			{"type":"lunch"}                                  | type        | not a fault type
			{}                                                | type        | is required
			{"type":"outage","operation":"sing"}              | operation   | not an operation
			{"type":"outage","probability":1.5}               | probability | between 0 and 1
			{"type":"outage","probability":"often"}           | probability | not a number
			{"type":"outage","duration":"-5s"}                | duration    | must be positive
			{"type":"outage","duration":"2h"}                 | duration    | must not exceed
			{"type":"outage","duration":"soon"}               | duration    | not a duration
			{"type":"outage","sql":"(unclosed"}               | sql         | not a valid regular expression
			{"type":"latency"}                                | delay       | is required for latency
			{"type":"error","sqlState":"4x001"}               | sqlState    | 5 digits or upper-case letters
			{"type":"error"}                                  | sqlState    | is required for error
			{"type":"outage","count":0}                       | count       | at least 1
			{"type":"outage","count":"many"}                  | count       | not a whole number
			{"type":"outage","delay":"1s"}                    | delay       | applies only to latency
			""")
	void badInputAnswers400NamingTheFieldAndChangesNothing(String body, String field, String reason) {
		post("{\"type\":\"outage\",\"id\":\"existing\",\"scope\":\"elsewhere\"}");
		ResponseEntity<Map<String, Object>> response = post(body);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", field);
		assertThat((String) response.getBody().get("reason")).contains(reason);
		assertThat(this.registry.getRules()).singleElement()
			.satisfies((rule) -> assertThat(rule.getId()).isEqualTo("existing"));
	}

	@Test
	void durationsAcceptSpringBootForms() {
		assertThat(post("{\"type\":\"outage\",\"scope\":\"x\",\"duration\":\"PT2M\"}").getStatusCode())
			.isEqualTo(HttpStatus.CREATED);
		assertThat(post("{\"type\":\"outage\",\"scope\":\"y\",\"duration\":\"30s\"}").getStatusCode())
			.isEqualTo(HttpStatus.CREATED);
	}

	@Test
	void scopeHeaderLimitsAScopedRuleToItsOwnRequests() {
		post("{\"type\":\"outage\",\"scope\":\"t-42\"}");
		HttpHeaders inScope = new HttpHeaders();
		inScope.set("X-DbChaos-Scope", "t-42");
		ResponseEntity<Map<String, Object>> scoped = this.rest.exchange("/actuator/health", HttpMethod.GET,
				new HttpEntity<>(inScope), JSON);
		ResponseEntity<Map<String, Object>> unscoped = this.rest.exchange("/actuator/health", HttpMethod.GET, null,
				JSON);
		assertThat(unscoped.getBody()).containsEntry("status", "UP");
		assertThat(scoped.getBody()).containsEntry("status", "DOWN");
	}

	private ResponseEntity<Map<String, Object>> post(String json) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		return this.rest.exchange("/actuator/dbchaos", HttpMethod.POST, new HttpEntity<>(json, headers), JSON);
	}

	@Test
	void everyChangeIsPublishedAsAnAuditEventWithWhoAndFromWhere() {
		this.audit.events.clear();
		String id = (String) post("{\"type\":\"outage\",\"scope\":\"audited\"}").getBody().get("id");
		this.rest.exchange("/actuator/dbchaos/" + id, HttpMethod.DELETE, null, JSON);
		this.rest.exchange("/actuator/dbchaos?scope=audited", HttpMethod.DELETE, null, String.class);
		assertThat(this.audit.events).extracting(DbChaosAuditEvent::getAction)
			.containsExactly(DbChaosAuditEvent.Action.ADDED, DbChaosAuditEvent.Action.REMOVED,
					DbChaosAuditEvent.Action.CLEARED);
		assertThat(this.audit.events.get(0)).satisfies((event) -> {
			assertThat(event.getPrincipal()).isEqualTo("anonymous");
			assertThat(event.getRemoteAddress()).isEqualTo("127.0.0.1");
			assertThat(event.getFaults()).singleElement().extracting(FaultDescriptor::id).isEqualTo(id);
		});
	}

	@Test
	void deleteWithAScopeRemovesOnlyThatScopesRules() {
		post("{\"type\":\"outage\",\"scope\":\"mine\"}");
		post("{\"type\":\"outage\",\"scope\":\"theirs\"}");
		this.rest.exchange("/actuator/dbchaos?scope=mine", HttpMethod.DELETE, null, String.class);
		assertThat(this.registry.getRules()).singleElement()
			.satisfies((rule) -> assertThat(rule.getSpec().getScope()).isEqualTo("theirs"));
	}

	@Test
	void scopeActivityCanBeRead() {
		ResponseEntity<Map<String, Object>> response = this.rest.exchange("/actuator/dbchaos/scopes/idle-scope",
				HttpMethod.GET, null, JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("scope", "idle-scope").containsEntry("inFlight", 0);
		assertThat(this.rest.exchange("/actuator/dbchaos/scopes/idle-scope?await=soon", HttpMethod.GET, null, JSON)
			.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(AuditEvents.class)
	static class TestApplication {

	}

	static class AuditEvents implements ApplicationListener<DbChaosAuditEvent> {

		final List<DbChaosAuditEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(DbChaosAuditEvent event) {
			this.events.add(event);
		}

	}

}
