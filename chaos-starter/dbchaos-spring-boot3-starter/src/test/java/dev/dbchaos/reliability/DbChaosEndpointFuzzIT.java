package dev.dbchaos.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.testpostgres.ManagedPostgres;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws thousands of random and malformed bodies at {@code POST /actuator/dbchaos} of a running
 * application: the endpoint must answer 201 or 400, never 500, and a 400 must leave the rules
 * in force exactly as they were.
 */
class DbChaosEndpointFuzzIT {

	private static final List<String> FIELDS = List.of("type", "operation", "sql", "dataSource", "probability",
			"count", "duration", "scope", "id", "delay", "jitter", "sqlState", "message");

	// Values a careless or hostile client might send, chosen near the edges of each parser.
	private static final List<String> TRICKY_TEXT = List.of("outage", "hang", "latency", "error", "read-only",
			"READ_ONLY", " Outage ", "query", "update", "commit", "connect", "any", "250ms", "2m", "30s", "PT1S", "1h",
			"59m", "61m", "-5s", "0s", "0", "1ns", "1ms", "PT-1S", "P1D", "106751d", "106752d", "9999999d",
			"9223372036854775807ns", "9223372036854775808ns", "PT2562047788015215H", "PT0.0000000001S", "NaN",
			"Infinity", "-Infinity", "1e309", "4.9e-324", "0x1p-2", "1d", "0.5", "1.5", "-0", "+1", "-1",
			"2147483647", "2147483648", "40001", "4x001", "57P01", "25006", "", " ", "\t\n", "\u0000", "é",
			"\uD83D\uDCA5", "\uD800", "(a+)+$", "(a|aa)+$", "(.*a){25}", "^(\\w+\\s?)*$", "(x+x+)+y", "(unclosed",
			"[", "\\", "(?i)from sneakers", "(?<n>a)\\k<m>", "a{2147483647}", "\\p{IsNoSuchScript}",
			"(((((((((((a)))))))))))", "null", "true", "failover", "t-42", "../../etc/passwd", "<script>",
			"' or 1=1 --");

	private static final String BASELINE_ID = "fuzz-baseline";

	private static final ObjectMapper json = new ObjectMapper();

	private static final Map<String, Map<Integer, AtomicLong>> statuses = new ConcurrentHashMap<>();

	private static ConfigurableApplicationContext context;

	private static FaultRegistry registry;

	private static HttpClient http;

	private static URI endpoint;

	private static long startNanos;

	@BeforeContainer
	static void startApplication() {
		ManagedPostgres postgres = ManagedPostgres.shared();
		context = new SpringApplicationBuilder(FuzzApplication.class).properties("server.port=0",
				"dbchaos.enabled=true", "dbchaos.max-duration=1h",
				"management.endpoints.web.exposure.include=dbchaos",
				"management.endpoint.dbchaos.access=unrestricted", "spring.datasource.url=" + postgres.jdbcUrl(),
				"spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password(),
				"spring.datasource.hikari.connection-timeout=1000",
				// Every accepted rule is logged at WARN with its fields, some of them 10 MB long, and
				// every unreadable body at WARN by Spring MVC: thousands of lines that say nothing.
				"logging.level.dev.dbchaos=error", "logging.level.org.springframework.web=error")
			.run();
		registry = context.getBean(FaultRegistry.class);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		endpoint = URI.create("http://localhost:" + port + "/actuator/dbchaos");
		http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		// A rule that is in force throughout but matches no call, so "unchanged" is not trivially "empty".
		registry.add(FaultSpec.builder(FaultType.OUTAGE).id(BASELINE_ID).scope("fuzz-nobody").build());
		startNanos = System.nanoTime();
	}

	@AfterContainer
	static void stopApplicationAndReport() {
		Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
		if (context != null) {
			context.close();
		}
		writeReport(elapsed);
	}

	@Property(tries = 1500, shrinking = ShrinkingMode.BOUNDED)
	void jsonObjectsOfAnyShapeAnswer201Or400AndA400ChangesNothing(@ForAll("jsonObjects") String body) {
		postAndCheck("JSON objects with known and unknown fields", body);
	}

	@Property(tries = 600, shrinking = ShrinkingMode.BOUNDED)
	void malformedBodiesAnswer400AndChangeNothing(@ForAll("malformedBodies") String body) {
		postAndCheck("malformed or non-object bodies", body);
	}

	@Property(tries = 6, generation = GenerationMode.EXHAUSTIVE, shrinking = ShrinkingMode.OFF)
	void tenMegabyteStringsAnswer201Or400AndChangeNothing(
			@ForAll("tenMegabyteFields") String field) throws JsonProcessingException {
		String huge = "a".repeat(10 * 1024 * 1024);
		Map<String, String> fields = new TreeMap<>(Map.of("type", "error", "sqlState", "40001"));
		fields.put(field, huge);
		postAndCheck("10 MB strings", json.writeValueAsString(fields));
	}

	@Property(tries = 600, shrinking = ShrinkingMode.BOUNDED)
	void nearlyValidBodiesAnswer201Or400AndA400ChangesNothing(@ForAll("nearlyValidBodies") String body) {
		postAndCheck("valid bodies with one field replaced", body);
	}

	@Property(generation = GenerationMode.EXHAUSTIVE, shrinking = ShrinkingMode.OFF)
	void edgeCasesAnswer201Or400AndA400ChangesNothing(@ForAll("edgeCases") String body) {
		postAndCheck("hand-picked edge cases", body);
	}

	@Provide
	Arbitrary<String> edgeCases() {
		// Each is tried every run, however the dice fall for the random properties.
		return Arbitraries.of("{\"type\":\"latency\",\"delay\":\"106752d\"}",
				"{\"type\":\"latency\",\"delay\":\"1ms\",\"jitter\":\"106752d\"}",
				"{\"type\":\"latency\",\"delay\":\"PT2562047788015215H\"}",
				"{\"type\":\"latency\",\"delay\":\"9223372036854775807ns\",\"jitter\":\"9223372036854775807ns\"}",
				"{\"type\":\"latency\",\"delay\":\"-1ms\"}", "{\"type\":\"latency\",\"delay\":\"1ms\",\"jitter\":\"-1ms\"}",
				"{\"type\":\"outage\",\"duration\":\"106752d\"}", "{\"type\":\"outage\",\"duration\":\"PT2562047788015215H\"}",
				"{\"type\":\"outage\",\"duration\":\"-1ns\"}", "{\"type\":\"outage\",\"duration\":\"1ns\"}",
				"{\"type\":\"outage\",\"probability\":\"NaN\"}", "{\"type\":\"outage\",\"probability\":\"-0\"}",
				"{\"type\":\"outage\",\"probability\":1e309}", "{\"type\":\"outage\",\"probability\":\"Infinity\"}",
				"{\"type\":\"outage\",\"count\":2147483648}", "{\"type\":\"outage\",\"count\":-2147483648}",
				"{\"type\":\"outage\",\"count\":1.0}", "{\"type\":\"outage\",\"count\":[1]}",
				"{\"type\":[\"outage\",\"hang\"]}", "{\"type\":{\"id\":\"outage\"}}", "{\"type\":true}",
				"{\"type\":\"outage\",\"sql\":\"(a+)+$\"}", "{\"type\":\"outage\",\"sql\":\"(?<n>a)\\\\k<m>\"}",
				"{\"type\":\"outage\",\"sql\":\"" + "(".repeat(500) + ")".repeat(500) + "\"}",
				"{\"type\":\"outage\",\"id\":\"" + BASELINE_ID + "\"}", "{\"type\":\"outage\",\"id\":\"a/b\"}",
				"{\"type\":\"read-only\",\"operation\":\"commit\"}", "{\"type\":\"error\",\"sqlState\":\"4000\"}",
				"{\"type\":\"error\",\"sqlState\":\"40001\",\"message\":\"" + "m".repeat(1001) + "\"}",
				"{\"type\":\"outage\",\"unknown\":{\"deeply\":[1,2,{\"x\":null}]}}", "{\"type\":null}", "{}", "");
	}

	@Provide
	Arbitrary<String> nearlyValidBodies() {
		Arbitrary<Map<String, String>> valid = Arbitraries.of(
				Map.of("type", "\"outage\"", "scope", "\"s\"", "duration", "\"30s\""),
				Map.of("type", "\"hang\"", "operation", "\"commit\"", "probability", "\"0.5\""),
				Map.of("type", "\"latency\"", "delay", "\"250ms\"", "jitter", "\"50ms\"", "sql", "\"(?i)select\""),
				Map.of("type", "\"error\"", "sqlState", "\"40001\"", "count", "3", "message", "\"no\""),
				Map.of("type", "\"read-only\"", "operation", "\"update\"", "id", "\"failover\""));
		return Combinators.combine(valid, Arbitraries.of(FIELDS), jsonValue(1)).as((fields, field, value) -> {
			Map<String, String> members = new TreeMap<>(fields);
			members.put(field, value);
			return members.entrySet()
				.stream()
				.map((member) -> quote(member.getKey()) + ":" + member.getValue())
				.collect(Collectors.joining(",", "{", "}"));
		});
	}

	@Provide
	Arbitrary<String> tenMegabyteFields() {
		return Arbitraries.of("type", "sql", "dataSource", "scope", "id", "message");
	}

	@Provide
	Arbitrary<String> jsonObjects() {
		// Mostly fields dbchaos knows, so that bodies get past the first check and reach the later ones.
		Arbitrary<String> key = Arbitraries.frequencyOf(
				Tuple.of(10, Arbitraries.of(FIELDS)),
				Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
		Arbitrary<String> type = Arbitraries.frequencyOf(
				Tuple.of(8, Arbitraries.of("outage", "hang", "latency", "error", "read-only").map(DbChaosEndpointFuzzIT::quote)),
				Tuple.of(2, jsonValue(2)));
		Arbitrary<Map<String, String>> others = Arbitraries.maps(key, jsonValue(2)).ofMaxSize(6);
		return Combinators.combine(Arbitraries.integers().between(0, 9), type, others).as((coin, typeValue, fields) -> {
			Map<String, String> members = new TreeMap<>(fields);
			if (coin > 0) {
				members.put("type", typeValue);
			}
			return members.entrySet()
				.stream()
				.map((member) -> quote(member.getKey()) + ":" + member.getValue())
				.collect(Collectors.joining(",", "{", "}"));
		});
	}

	@Provide
	Arbitrary<String> malformedBodies() {
		Arbitrary<String> valid = Arbitraries.of("{\"type\":\"outage\",\"scope\":\"x\"}",
				"{\"type\":\"latency\",\"delay\":\"250ms\",\"jitter\":\"50ms\"}",
				"{\"type\":\"error\",\"sqlState\":\"40001\",\"count\":3}");
		return Arbitraries.oneOf(
				// Truncated or corrupted JSON.
				Combinators.combine(valid, Arbitraries.integers().between(0, 40))
					.as((text, cut) -> text.substring(0, Math.min(cut, text.length()))),
				Combinators.combine(valid, Arbitraries.integers().between(0, 40), Arbitraries.chars())
					.as((text, at, c) -> {
						int index = Math.min(at, text.length() - 1);
						return text.substring(0, index) + c + text.substring(index + 1);
					}),
				// Anything at all.
				Arbitraries.strings().ofMaxLength(200),
				Arbitraries.strings().ascii().ofMaxLength(200),
				// JSON that is not an object, or not quite JSON.
				Arbitraries.of("", " ", "null", "true", "42", "\"outage\"", "[]", "[{\"type\":\"outage\"}]",
						"{\"type\":NaN}", "{\"type\":\"outage\",\"probability\":NaN}",
						"{\"type\":\"outage\",\"probability\":Infinity}", "{\"type\":\"outage\",\"count\":0x10}",
						"{\"type\":\"outage\",\"count\":01}", "{'type':'outage'}", "{type:outage}",
						"{\"type\":\"outage\",}", "{\"type\":\"outage\"}{\"type\":\"hang\"}", "type=outage",
						"<fault type=\"outage\"/>", "\uFEFF{\"type\":\"outage\",\"scope\":\"bom\"}"),
				// Nesting deeper than any parser should follow.
				Arbitraries.integers().between(500, 5000).map((depth) -> "[".repeat(depth) + "]".repeat(depth)),
				Arbitraries.integers().between(500, 5000).map((depth) -> "{\"a\":".repeat(depth) + "1"
						+ "}".repeat(depth)));
	}

	/**
	 * A raw JSON value: text (often one near a parser's edge), numbers of every size, booleans,
	 * null, arrays and objects.
	 */
	private static Arbitrary<String> jsonValue(int depth) {
		Arbitrary<String> text = Arbitraries.frequencyOf(
				Tuple.of(6, Arbitraries.of(TRICKY_TEXT)),
				Tuple.of(2, Arbitraries.strings().ofMaxLength(30)),
				Tuple.of(1, Arbitraries.strings().withChars("a(+)*|?{}[]\\.^$").ofMaxLength(40)),
				Tuple.of(1, Arbitraries.strings().ascii().ofMinLength(990).ofMaxLength(1100)))
			.map(DbChaosEndpointFuzzIT::quote);
		Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf),
				Arbitraries.longs().map(String::valueOf), Arbitraries.doubles().map(String::valueOf),
				Arbitraries.of("0", "-0", "1", "0.5", "1e309", "-1e309", "1e-400", "123456789012345678901234567890",
						"1" + "0".repeat(400), "2147483648", "-2147483649", "0.99999999999999999999"));
		Arbitrary<String> scalar = Arbitraries.frequencyOf(Tuple.of(6, text), Tuple.of(3, number),
				Tuple.of(1, Arbitraries.of("true", "false", "null")));
		if (depth == 0) {
			return scalar;
		}
		Arbitrary<String> array = jsonValue(depth - 1).list()
			.ofMaxSize(3)
			.map((items) -> String.join(",", items))
			.map((items) -> "[" + items + "]");
		Arbitrary<String> object = Arbitraries.maps(Arbitraries.of(FIELDS), jsonValue(depth - 1))
			.ofMaxSize(2)
			.map((members) -> members.entrySet()
				.stream()
				.map((member) -> quote(member.getKey()) + ":" + member.getValue())
				.collect(Collectors.joining(",", "{", "}")));
		return Arbitraries.frequencyOf(Tuple.of(8, scalar), Tuple.of(1, array), Tuple.of(1, object));
	}

	private static String quote(String text) {
		try {
			return json.writeValueAsString(text);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void postAndCheck(String kind, String body) {
		List<String> before = ruleIds();
		HttpResponse<String> response = post(body);
		int status = response.statusCode();
		statuses.computeIfAbsent(kind, (key) -> new ConcurrentHashMap<>())
			.computeIfAbsent(status, (key) -> new AtomicLong())
			.incrementAndGet();
		assertThat(status).as("status for %s, answered %s", abbreviate(body), abbreviate(response.body()))
			.isIn(201, 400);
		if (status == 400) {
			assertThat(ruleIds()).as("rules after 400 for %s", abbreviate(body)).isEqualTo(before);
		}
		else {
			// Keep the registry small: only the baseline rule stays.
			registry.getRules()
				.stream()
				.map(FaultRule::getId)
				.filter((id) -> !BASELINE_ID.equals(id))
				.forEach(registry::remove);
		}
	}

	private static HttpResponse<String> post(String body) {
		HttpRequest request = HttpRequest.newBuilder(endpoint)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("POST failed for " + abbreviate(body), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> ruleIds() {
		return registry.getRules().stream().map(FaultRule::getId).toList();
	}

	private static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "... (" + text.length() + " chars)" : text;
	}

	private static void writeReport(Duration elapsed) {
		StringBuilder body = new StringBuilder();
		long total = statuses.values().stream().flatMap((map) -> map.values().stream()).mapToLong(AtomicLong::get).sum();
		Set<Integer> codes = new java.util.TreeSet<>();
		statuses.values().forEach((map) -> codes.addAll(map.keySet()));
		body.append("Bodies POSTed to `/actuator/dbchaos` of a running application (Tomcat, Jackson, real PostgreSQL) ")
			.append("by jqwik properties. Every answer must be 201 or 400 and a 400 must leave the rules unchanged.\n\n");
		body.append("**").append(total).append(" inputs in ").append(ReliabilityReport.seconds(elapsed)).append("**\n\n");
		StringBuilder header = new StringBuilder("| inputs | tried |");
		StringBuilder rule = new StringBuilder("|---|---:|");
		for (Integer code : codes) {
			header.append(' ').append(code).append(" |");
			rule.append("---:|");
		}
		body.append(header).append('\n').append(rule).append('\n');
		new TreeMap<>(statuses).forEach((kind, counts) -> {
			body.append("| ").append(kind).append(" | ").append(counts.values().stream().mapToLong(AtomicLong::get).sum()).append(" |");
			for (Integer code : codes) {
				AtomicLong count = counts.get(code);
				body.append(' ').append((count != null) ? count.get() : 0).append(" |");
			}
			body.append('\n');
		});
		body.append("\nWhat was thrown: wrong JSON types in every field (objects, arrays, booleans, numbers for text and ")
			.append("text for numbers), numbers beyond `long` and `double`, `NaN` and `Infinity` as text and as bare ")
			.append("tokens, negative, zero and overflowing durations, catastrophic-backtracking and invalid regular ")
			.append("expressions, unknown fields, empty and non-JSON bodies, truncated and corrupted JSON, nesting ")
			.append("5,000 deep, and 10 MB strings in six fields.\n");
		ReliabilityReport.write("endpoint-fuzz", "Bad input: endpoint fuzzing", DbChaosEndpointFuzzIT.class,
				body.toString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FuzzApplication {

	}

}
