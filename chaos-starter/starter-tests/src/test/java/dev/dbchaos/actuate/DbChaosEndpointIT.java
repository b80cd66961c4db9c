package dev.dbchaos.actuate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the {@code dbchaos} endpoint, the same on both Spring Boot
 * generations (run by each starter), over HTTP, against a real PostgreSQL. The
 * application has no Spring Security, so its callers are anonymous: anonymous writes are
 * allowed here ({@link DbChaosEndpointAnonymousWritesIT} tests the default).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.enabled=true", "dbchaos.max-duration=1h",
				"management.endpoints.web.exposure.include=dbchaos,health",
				"management.endpoint.dbchaos.access=unrestricted", "dbchaos.endpoint.allow-anonymous-writes=true",
				"spring.datasource.hikari.connection-timeout=1000" })
@ExtendWith(OutputCaptureExtension.class)
class DbChaosEndpointIT extends AbstractDbChaosEndpointIT {

	private static final List<String> ERROR_KEYS = List.of("status", "error", "field", "reason", "message");

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private DataSource dataSource;

	@Autowired
	private AuditEvents audit;

	@Test
	void listShowsThatDbchaosIsOnAndWhichDataSourcesItWrapsWithTheirPoolAndWhereTheProxySits() {
		ResponseEntity<Map<String, Object>> response = rest().exchange("/actuator/dbchaos", HttpMethod.GET, null, JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("enabled", true)
			.containsEntry("writable", true)
			.containsEntry("faults", List.of())
			.containsEntry("dataSources",
					List.of(Map.of("name", "dataSource", "pool", "hikari", "proxy", "beneath-pool")))
			.doesNotContainKey("allowWritesWith");
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
		assertThat(registry().get((String) rule.get("id"))).isPresent();
	}

	@Test
	void ruleIsShownWithItsIdFirstThenItsFieldsThenItsLifetime() {
		post("""
				{"type":"latency","delay":"250ms","jitter":"50ms","operation":"query","sql":"(?i)from sneakers",
				 "dataSource":"dataSource","probability":0.5,"count":3,"duration":"2m","scope":"t-1","id":"ordered"}""");
		String json = rest().exchange("/actuator/dbchaos/ordered", HttpMethod.GET, null, String.class).getBody();
		assertThat(json).startsWith("{\"id\":\"ordered\",")
			.containsSubsequence("\"type\":\"latency\"", "\"operation\":\"query\"", "\"sql\":\"(?i)from sneakers\"",
					"\"dataSource\":\"dataSource\"", "\"probability\":0.5", "\"count\":3", "\"remaining\":3",
					"\"scope\":\"t-1\"", "\"delay\":\"250ms\"", "\"jitter\":\"50ms\"", "\"createdAt\":",
					"\"expiresAt\":", "\"injections\":0")
			.doesNotContain("\"duration\"")
			.doesNotContain("null");
	}

	@Test
	void poolExhaustionMakesTheApplicationMeetHikarisTimeoutAndDeleteGivesEveryConnectionBack() throws SQLException {
		// Hikari starts its pool, and its statistics, on the first borrow.
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
		HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
		HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
		int baseline = pool.getActiveConnections();
		ResponseEntity<Map<String, Object>> added = post("{\"type\":\"pool-exhaustion\",\"id\":\"drain\"}");
		assertThat(added.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(added.getBody()).containsEntry("type", "pool-exhaustion").doesNotContainKey("connections");
		// Every connection borrowed, and dbchaos no longer waiting for one.
		await().atMost(Duration.ofMinutes(1))
			.until(() -> pool.getActiveConnections() == hikari.getMaximumPoolSize()
					&& pool.getThreadsAwaitingConnection() == 0);
		assertThatExceptionOfType(CannotGetJdbcConnectionException.class)
			.isThrownBy(() -> this.jdbc.queryForObject("select 1", Integer.class))
			.withRootCauseInstanceOf(SQLTransientConnectionException.class);
		assertThat(rest().exchange("/actuator/dbchaos/drain", HttpMethod.DELETE, null, JSON).getStatusCode())
			.isEqualTo(HttpStatus.OK);
		assertThat(pool.getActiveConnections()).isEqualTo(baseline);
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
	}

	@Test
	void lockIsARealLockOnTheServerThatDeleteReleases() {
		this.jdbc.execute("create table if not exists held_stock (id int primary key)");
		ResponseEntity<Map<String, Object>> added = post(
				"{\"type\":\"lock\",\"table\":\"held_stock\",\"id\":\"migration\"}");
		assertThat(added.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(added.getBody()).containsEntry("type", "lock").containsEntry("table", "held_stock");
		assertThat(grantedLocksOnHeldStock()).isEqualTo(List.of("AccessExclusiveLock"));
		assertThatExceptionOfType(org.springframework.dao.DataAccessException.class)
			.isThrownBy(() -> readHeldStockWaitingAtMost("200ms"))
			.withMessageContaining("canceling statement due to lock timeout");
		assertThat(rest().exchange("/actuator/dbchaos/migration", HttpMethod.DELETE, null, JSON).getStatusCode())
			.isEqualTo(HttpStatus.OK);
		assertThat(grantedLocksOnHeldStock()).isEmpty();
		assertThat(readHeldStockWaitingAtMost("200ms")).isZero();
	}

	private List<String> grantedLocksOnHeldStock() {
		return this.jdbc.queryForList("select l.mode from pg_locks l join pg_class c on c.oid = l.relation "
				+ "where c.relname = 'held_stock' and l.granted and l.pid <> pg_backend_pid()", String.class);
	}

	private Integer readHeldStockWaitingAtMost(String lockTimeout) {
		return this.jdbc.execute((ConnectionCallback<Integer>) (connection) -> {
			try (Statement statement = connection.createStatement()) {
				statement.execute("set lock_timeout = '" + lockTimeout + "'");
				try (ResultSet rows = statement.executeQuery("select count(*) from held_stock")) {
					rows.next();
					return rows.getInt(1);
				}
				finally {
					statement.execute("reset lock_timeout");
				}
			}
		});
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
		assertThat(rest().exchange("/actuator/dbchaos/" + id, HttpMethod.DELETE, null, JSON).getStatusCode())
			.isEqualTo(HttpStatus.OK);
		assertThat(this.jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
	}

	@Test
	void oneRuleCanBeReadById() {
		String id = (String) post("{\"type\":\"hang\",\"id\":\"freeze-1\"}").getBody().get("id");
		assertThat(id).isEqualTo("freeze-1");
		ResponseEntity<Map<String, Object>> response = rest().exchange("/actuator/dbchaos/freeze-1", HttpMethod.GET,
				null, JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("type", "hang");
	}

	@Test
	void unknownIdAnswers404() {
		assertThat(rest().exchange("/actuator/dbchaos/nope", HttpMethod.GET, null, String.class).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(rest().exchange("/actuator/dbchaos/nope", HttpMethod.DELETE, null, String.class).getStatusCode())
			.isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void deleteWithoutIdRemovesEveryRule() {
		post("{\"type\":\"outage\",\"scope\":\"a\"}");
		post("{\"type\":\"read-only\",\"scope\":\"b\"}");
		ResponseEntity<List<Object>> response = rest().exchange("/actuator/dbchaos", HttpMethod.DELETE, null,
				new ParameterizedTypeReference<>() {
				});
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).hasSize(2);
		assertThat(registry().isIdle()).isTrue();
	}

	@ParameterizedTest(name = "{0} -> 400 on {1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					{"type":"lunch"}                                  | type        | not a fault type; expected one of outage, hang
					{}                                                | type        | is required
					{"type":"outage","operation":"sing"}              | operation   | not an operation
					{"type":"outage","probability":1.5}               | probability | between 0 and 1
					{"type":"outage","probability":"often"}           | probability | must be a JSON number, a number from 0 to 1
					{"type":"outage","probability":"0.5"}             | probability | must be a JSON number
					{"type":"outage","duration":"-5s"}                | duration    | must be positive
					{"type":"outage","duration":"2h"}                 | duration    | must not exceed
					{"type":"outage","duration":"soon"}               | duration    | not a duration
					{"type":"outage","sql":"(unclosed"}               | sql         | not a valid regular expression
					{"type":"latency"}                                | delay       | is required for latency
					{"type":"error","sqlState":"4x001"}               | sqlState    | 5 digits or upper-case letters
					{"type":"error"}                                  | sqlState    | is required for error
					{"type":"outage","count":0}                       | count       | at least 1
					{"type":"outage","count":1.5}                     | count       | not a whole number
					{"type":"outage","count":"many"}                  | count       | must be a JSON number, a whole number
					{"type":"outage","delay":"1s"}                    | delay       | applies only to latency
					{"type":5}                                        | type        | must be a string, was a number
					{"type":"outage","scope":["t-1"]}                 | scope       | must be a string, was an array
					{"type":"outage","sql":{"regex":"x"}}             | sql         | must be a string, was an object
					{"type":"outage","id":true}                       | id          | must be a string, was true
					{"type":"outage","scope":"a","scope":"b"}         | scope       | appears more than once
					{"type":"ambiguous-commit","operation":"query"}   | operation   | use commit (explicit commits) or any
					{"type":"ambiguous-commit","operation":"commit","sql":"x"} | sql | a commit has no statement text
					{"type":"result-reset","sql":"from sneakers"}     | afterRows   | is required for result-reset
					{"type":"result-reset","afterRows":-1}            | afterRows   | must be 0 or more, was -1
					{"type":"result-reset","afterRows":"many"}        | afterRows   | must be a JSON number, a whole number
					{"type":"result-reset","afterRows":1,"operation":"update"} | operation | use query or any, not update
					{"type":"outage","afterRows":100}                 | afterRows   | applies only to result-reset
					{"type":"lock"}                                   | table       | is required for lock faults
					{"type":"lock","table":"nowhere"}                 | table       | is not a table of this database
					{"type":"lock","table":"stock; commit"}           | table       | must be an unquoted table name
					{"type":"lock","table":"pg_class","mode":"write"} | mode        | is not a lock mode of PostgreSQL
					{"type":"lock","table":"pg_class","scope":"t-1"}  | scope       | no scope applies
					{"type":"lock","table":"pg_class","probability":0.5} | probability | no probability applies
					{"type":"pool-exhaustion","count":1}              | count       | they inject nothing to count
					{"type":"pool-exhaustion","connections":0}        | connections | must be at least 1, was 0
					{"type":"pool-exhaustion","connections":1000}     | connections | maximum of 10 connections, was 1000
					{"type":"pool-exhaustion","dataSource":"other"}   | dataSource  | can hold pool-exhaustion faults
					""")
	void badInputAnswers400NamingTheFieldAndChangesNothing(String body, String field, String reason) {
		post("{\"type\":\"outage\",\"id\":\"existing\",\"scope\":\"elsewhere\"}");
		ResponseEntity<Map<String, Object>> response = post(body);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsOnlyKeys(ERROR_KEYS)
			.containsEntry("status", 400)
			.containsEntry("error", "Bad Request")
			.containsEntry("field", field);
		assertThat((String) response.getBody().get("reason")).contains(reason);
		assertThat(response.getBody()).containsEntry("message", field + ": " + response.getBody().get("reason"));
		assertThat(registry().getRules()).singleElement()
			.satisfies((rule) -> assertThat(rule.getId()).isEqualTo("existing"));
	}

	@Test
	void unknownFieldAnswers400NamingItWithTheClosestKnownFieldAndAddsNothing() {
		ResponseEntity<Map<String, Object>> response = post("{\"type\":\"outage\",\"Scope\":\"t-42\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("status", 400)
			.containsEntry("error", "Bad Request")
			.containsEntry("field", "Scope")
			.containsEntry("reason", "unknown field; did you mean scope?")
			.containsEntry("message", "Scope: unknown field; did you mean scope?");
		assertThat(registry().isIdle()).isTrue();
	}

	@ParameterizedTest(name = "{0} -> did you mean {1}?")
	@CsvSource({ "scpoe, scope", "sql_state, sqlState", "sql-state, sqlState", "datasource, dataSource",
			"probabilty, probability", "TYPE, type", "durations, duration" })
	void misspeltFieldIsAnsweredWithTheFieldItWasProbablyMeantToBe(String misspelt, String meant) {
		ResponseEntity<Map<String, Object>> response = post("{\"type\":\"outage\",\"" + misspelt + "\":\"x\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", misspelt)
			.containsEntry("reason", "unknown field; did you mean " + meant + "?");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void unknownFieldLikeNoKnownOneIsRefusedWithoutASuggestion() {
		ResponseEntity<Map<String, Object>> response = post("{\"type\":\"outage\",\"flavour\":\"mild\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", "flavour");
		assertThat((String) response.getBody().get("reason")).startsWith("unknown field; expected one of type, ")
			.doesNotContain("did you mean");
		assertThat(registry().isIdle()).isTrue();
	}

	@ParameterizedTest(name = "body <{0}>")
	@ValueSource(strings = { "{\"type\":\"outage\",", "[{\"type\":\"outage\"}]", "[]", "\"outage\"", "42", "null",
			"type=outage", "<fault type=\"outage\"/>", "", "   ", "{'type':'outage'}", "{type:outage}",
			"{\"type\":\"outage\",}", "{\"type\":\"outage\"}{\"type\":\"hang\"}", "{\"type\":\"outage\",\"count\":01}",
			"{\"type\":\"outage\",\"probability\":NaN}", "\uFEFF{\"type\":\"outage\"}" })
	void bodyThatIsNotAJsonObjectAnswers400InTheEndpointsErrorShapeAndChangesNothing(String body) {
		post("{\"type\":\"outage\",\"id\":\"existing\",\"scope\":\"elsewhere\"}");
		ResponseEntity<Map<String, Object>> response = post(body);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		// Not Spring's generic 400 ("timestamp", "path", ...): the same keys as any other
		// refusal.
		assertThat(response.getBody()).containsOnlyKeys(ERROR_KEYS)
			.containsEntry("status", 400)
			.containsEntry("error", "Bad Request")
			.containsEntry("field", "body");
		assertThat((String) response.getBody().get("message")).startsWith("body: ");
		assertThat(registry().getRules()).singleElement()
			.satisfies((rule) -> assertThat(rule.getId()).isEqualTo("existing"));
	}

	@Test
	void malformedJsonIsAnsweredWithWhereItWentWrong() {
		ResponseEntity<Map<String, Object>> response = post("{\"type\":\"outage\",");
		assertThat(response.getBody()).containsEntry("reason", "is not valid JSON: expected a field name in double "
				+ "quotes but found the end of the body (line 1, column 18)");
	}

	@Test
	void bodyNestedDeeperThanAnyFaultNeedsAnswers400() {
		ResponseEntity<Map<String, Object>> response = post("[".repeat(5000) + "]".repeat(5000));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", "body");
		assertThat((String) response.getBody().get("reason")).contains("nested more than");
	}

	@Test
	void bodyLargerThanAnyFaultNeedsAnswers400AndAddsNothing() {
		ResponseEntity<Map<String, Object>> response = post(
				"{\"type\":\"error\",\"sqlState\":\"40001\",\"message\":\"" + "m".repeat(200_000) + "\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", "body");
		assertThat((String) response.getBody().get("reason")).startsWith("is larger than 65536 bytes");
		assertThat(registry().isIdle()).isTrue();
	}

	@ParameterizedTest(name = "{0} -> 400 on {1}")
	@CsvSource(delimiter = '|', textBlock = """
			{"type":"outage","duration":30}                        | duration
			{"type":"outage","duration":"30"}                      | duration
			{"type":"latency","delay":250}                         | delay
			{"type":"latency","delay":"250ms","jitter":50}         | jitter
			{"type":"latency","delay":"250ms","jitter":"50"}       | jitter
			""")
	void durationWithoutAUnitAnswers400AskingForOne(String body, String field) {
		ResponseEntity<Map<String, Object>> response = post(body);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", field);
		assertThat((String) response.getBody().get("reason")).contains("has no unit").contains("s\"").contains("PT");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void bareNumberDurationNamesTheUnitsToWrite() {
		assertThat(post("{\"type\":\"outage\",\"duration\":30}").getBody()).containsEntry("reason",
				"'30' has no unit; write a duration with one, such as \"30s\", \"30ms\" or \"PT30S\"");
	}

	@ParameterizedTest(name = "{0} -> did you mean {2}?")
	@CsvSource({ "type, OUTAGE, outage", "type, read_only, read-only", "type, Read-Only, read-only",
			"type, ' outage', outage", "type, readonly, read-only", "operation, QUERY, query",
			"operation, Commit, commit" })
	void typeAndOperationMustBeWrittenAsDocumentedAndAreAnsweredWithTheCanonicalValue(String field, String value,
			String canonical) {
		String body = "type".equals(field) ? "{\"type\":\"" + value + "\"}"
				: "{\"type\":\"outage\",\"operation\":\"" + value + "\"}";
		ResponseEntity<Map<String, Object>> response = post(body);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", field);
		assertThat((String) response.getBody().get("reason")).endsWith("did you mean " + canonical + "?");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void fieldsInTheQueryStringAreRefused() {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		ResponseEntity<Map<String, Object>> response = rest().exchange("/actuator/dbchaos?scope=t-1", HttpMethod.POST,
				new HttpEntity<>("{\"type\":\"outage\"}", headers), JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", "scope");
		assertThat((String) response.getBody().get("reason")).contains("send fields in the JSON body");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void fleetFaultWithoutSpringCloudBusAnswers400NamingInstancesAndAddsNothing() {
		ResponseEntity<Map<String, Object>> response = post("{\"type\":\"outage\",\"instances\":\"all\"}");
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", "instances");
		assertThat((String) response.getBody().get("reason")).contains("dbchaos-spring-cloud-bus");
		ResponseEntity<Map<String, Object>> clear = rest().exchange("/actuator/dbchaos?instances=all",
				HttpMethod.DELETE, null, JSON);
		assertThat(clear.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(clear.getBody()).containsEntry("field", "instances");
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void misspeltScopeParameterOfAClearIsRefusedRatherThanClearingEveryScope() {
		post("{\"type\":\"outage\",\"scope\":\"mine\"}");
		post("{\"type\":\"outage\",\"scope\":\"theirs\"}");
		ResponseEntity<Map<String, Object>> response = rest().exchange("/actuator/dbchaos?scpoe=mine",
				HttpMethod.DELETE, null, JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(response.getBody()).containsEntry("field", "scpoe")
			.containsEntry("reason", "unknown query parameter; did you mean scope?");
		assertThat(registry().getRules()).hasSize(2);
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
		ResponseEntity<Map<String, Object>> scoped = rest().exchange("/actuator/health", HttpMethod.GET,
				new HttpEntity<>(inScope), JSON);
		ResponseEntity<Map<String, Object>> unscoped = rest().exchange("/actuator/health", HttpMethod.GET, null, JSON);
		assertThat(unscoped.getBody()).containsEntry("status", "UP");
		assertThat(scoped.getBody()).containsEntry("status", "DOWN");
	}

	@Test
	void everyChangeIsPublishedAsAnAuditEventWithWhoAndFromWhere() {
		this.audit.events.clear();
		String id = (String) post("{\"type\":\"outage\",\"scope\":\"audited\"}").getBody().get("id");
		rest().exchange("/actuator/dbchaos/" + id, HttpMethod.DELETE, null, JSON);
		rest().exchange("/actuator/dbchaos?scope=audited", HttpMethod.DELETE, null, String.class);
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
	void clearThatRemovesNothingLogsNothing(CapturedOutput output) {
		assertThat(rest().exchange("/actuator/dbchaos?scope=nothing-here", HttpMethod.DELETE, null, String.class)
			.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(output).doesNotContain("dbchaos cleared");
	}

	@Test
	void clearOfOneScopeLogsWhatItRemovedAtInfo(CapturedOutput output) {
		String id = (String) post("{\"type\":\"outage\",\"scope\":\"cleaned\"}").getBody().get("id");
		rest().exchange("/actuator/dbchaos?scope=cleaned", HttpMethod.DELETE, null, String.class);
		assertThat(output.getOut().lines().filter((line) -> line.contains("dbchaos cleared")))
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains("INFO")
			.contains("dbchaos cleared [" + id + "] of scope cleaned by anonymous");
	}

	@Test
	void clearOfEveryScopeLogsWhatItRemovedAtWarn(CapturedOutput output) {
		String id = (String) post("{\"type\":\"outage\",\"scope\":\"everyone\"}").getBody().get("id");
		rest().exchange("/actuator/dbchaos", HttpMethod.DELETE, null, String.class);
		assertThat(output.getOut().lines().filter((line) -> line.contains("dbchaos cleared")))
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains("WARN")
			.contains("dbchaos cleared [" + id + "] by anonymous");
	}

	@Test
	void deleteWithAScopeRemovesOnlyThatScopesRules() {
		post("{\"type\":\"outage\",\"scope\":\"mine\"}");
		post("{\"type\":\"outage\",\"scope\":\"theirs\"}");
		rest().exchange("/actuator/dbchaos?scope=mine", HttpMethod.DELETE, null, String.class);
		assertThat(registry().getRules()).singleElement()
			.satisfies((rule) -> assertThat(rule.getSpec().getScope()).isEqualTo("theirs"));
	}

	@Test
	void scopeActivityCanBeRead() {
		ResponseEntity<Map<String, Object>> response = rest().exchange("/actuator/dbchaos/scopes/idle-scope",
				HttpMethod.GET, null, JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("scope", "idle-scope").containsEntry("inFlight", 0);
		assertThat(rest().exchange("/actuator/dbchaos/scopes/idle-scope?await=soon", HttpMethod.GET, null, JSON)
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
