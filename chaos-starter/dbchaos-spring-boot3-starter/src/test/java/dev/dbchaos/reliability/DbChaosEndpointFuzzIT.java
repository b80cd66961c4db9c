package dev.dbchaos.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws thousands of random and malformed bodies at {@code POST /actuator/dbchaos} of a
 * running application: the endpoint must answer 201 or 400, never 500; a 400 must leave
 * the rules in force exactly as they were and name what is wrong in the endpoint's error
 * shape; and the answer must be the one the documented rules give
 * ({@link DocumentedRules}, written from the README independently of the endpoint's
 * code): 201 for exactly the bodies they accept.
 */
class DbChaosEndpointFuzzIT {

	private static final List<String> FIELDS = List.of("type", "operation", "sql", "dataSource", "probability", "count",
			"duration", "scope", "id", "delay", "jitter", "sqlState", "message");

	// Values a careless or hostile client might send, chosen near the edges of each
	// parser.
	private static final List<String> TRICKY_TEXT = List.of("outage", "hang", "latency", "error", "read-only",
			"READ_ONLY", " Outage ", "query", "update", "commit", "connect", "any", "250ms", "2m", "30s", "PT1S", "1h",
			"59m", "61m", "-5s", "0s", "0", "1ns", "1ms", "PT-1S", "P1D", "106751d", "106752d", "9999999d",
			"9223372036854775807ns", "9223372036854775808ns", "PT2562047788015215H", "PT0.0000000001S", "NaN",
			"Infinity", "-Infinity", "1e309", "4.9e-324", "0x1p-2", "1d", "0.5", "1.5", "-0", "+1", "-1", "2147483647",
			"2147483648", "40001", "4x001", "57P01", "25006", "", " ", "\t\n", "\u0000", "é", "\uD83D\uDCA5", "\uD800",
			"(a+)+$", "(a|aa)+$", "(.*a){25}", "^(\\w+\\s?)*$", "(x+x+)+y", "(unclosed", "[", "\\", "(?i)from sneakers",
			"(?<n>a)\\k<m>", "a{2147483647}", "\\p{IsNoSuchScript}", "(((((((((((a)))))))))))", "null", "true",
			"failover", "t-42", "../../etc/passwd", "<script>", "' or 1=1 --");

	private static final String BASELINE_ID = "fuzz-baseline";

	private static final Duration MAX_DURATION = Duration.ofHours(1);

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
				"dbchaos.enabled=true", "dbchaos.max-duration=1h", "management.endpoints.web.exposure.include=dbchaos",
				"management.endpoint.dbchaos.access=unrestricted", "dbchaos.endpoint.allow-anonymous-writes=true",
				"spring.datasource.url=" + postgres.jdbcUrl(), "spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password(), "spring.datasource.hikari.connection-timeout=1000",
				// Every accepted rule is logged at WARN with its fields, some of them 30
				// kB long:
				// thousands of lines that say nothing.
				"logging.level.dev.dbchaos=error", "logging.level.org.springframework.web=error")
			.run();
		registry = context.getBean(FaultRegistry.class);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		endpoint = URI.create("http://localhost:" + port + "/actuator/dbchaos");
		http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		// A rule that is in force throughout but matches no call, so "unchanged" is not
		// trivially "empty".
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
	void tenMegabyteStringsAnswer201Or400AndChangeNothing(@ForAll("tenMegabyteFields") String field)
			throws JsonProcessingException {
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

	@Property(tries = 400, shrinking = ShrinkingMode.BOUNDED)
	void unknownFieldsAnswer400NamingTheField(@ForAll("validBodies") Map<String, String> valid,
			@ForAll("unknownFieldNames") String unknown, @ForAll("jsonValues") String value) {
		Map<String, String> members = new TreeMap<>(valid);
		members.put(unknown, value);
		HttpResponse<String> response = postAndCheck("unknown fields", object(members));
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = read(response);
		// As sent: UTF-8 has no lone surrogates, the client sends '?' for them.
		assertThat(error.get("field").asText()).isEqualTo(asSent(unknown));
		String meant = FIELDS.stream().filter((field) -> field.equalsIgnoreCase(unknown)).findFirst().orElse(null);
		if (meant != null) {
			assertThat(error.get("reason").asText()).isEqualTo("unknown field; did you mean " + meant + "?");
		}
	}

	@Property(tries = 400, shrinking = ShrinkingMode.BOUNDED)
	void wrongJsonTypesAnswer400NamingTheField(@ForAll("validBodies") Map<String, String> valid,
			@ForAll("fields") String field, @ForAll("nonScalarOrBoolean") String otherValue,
			@ForAll("jsonNumbers") String number, @ForAll("jsonTexts") String text) {
		// What each field must not get: text fields a number, number fields text,
		// durations a
		// bare number; and no field an array, an object or a boolean.
		String wrong = switch (field) {
			case "probability", "count" -> text;
			default -> number;
		};
		Map<String, String> members = new TreeMap<>(valid);
		members.put(field, (otherValue.hashCode() % 2 == 0) ? wrong : otherValue);
		HttpResponse<String> response = postAndCheck("wrong JSON types per field", object(members));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(read(response).get("field").asText()).isEqualTo(field);
	}

	@Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
	void duplicateKeysAnswer400NamingTheKey(@ForAll("validBodies") Map<String, String> valid,
			@ForAll("jsonValues") String value, @ForAll("indexes") int which, @ForAll("indexes") int where) {
		List<String> members = new ArrayList<>(
				valid.entrySet().stream().map((member) -> quote(member.getKey()) + ":" + member.getValue()).toList());
		String duplicated = new ArrayList<>(valid.keySet()).get(which % valid.size());
		String again = quote(duplicated) + ":" + ((where % 3 == 0) ? valid.get(duplicated) : value);
		members.add(Math.min(where % (members.size() + 1), members.size()), again);
		HttpResponse<String> response = postAndCheck("duplicate keys", "{" + String.join(",", members) + "}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(read(response).get("field").asText()).isEqualTo(duplicated);
	}

	@Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
	void deepNestingInAFieldAnswers400(@ForAll("fields") String field, @ForAll("depths") int depth,
			@ForAll("indexes") int shape) {
		String nested = (shape % 2 == 0) ? "[".repeat(depth) + "]".repeat(depth)
				: "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
		HttpResponse<String> response = postAndCheck("deep nesting in a field",
				"{\"type\":\"outage\"," + quote(field) + ":" + nested + "}");
		assertThat(response.statusCode()).isEqualTo(400);
	}

	@Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
	void stringsAroundTheBodyLimitAnswer201Or400(@ForAll("validBodies") Map<String, String> valid,
			@ForAll("textFields") String field, @ForAll("hugeLengths") int length) {
		Map<String, String> members = new TreeMap<>(valid);
		members.put(field, quote("é".repeat(length / 2)));
		postAndCheck("strings around the 64 KiB body limit", object(members));
	}

	@Provide
	Arbitrary<Map<String, String>> validBodies() {
		return Arbitraries.of(Map.of("type", "\"outage\"", "scope", "\"s\"", "duration", "\"30s\""),
				Map.of("type", "\"hang\"", "operation", "\"commit\"", "probability", "0.5"),
				Map.of("type", "\"latency\"", "delay", "\"250ms\"", "jitter", "\"50ms\"", "sql", "\"(?i)select\""),
				Map.of("type", "\"error\"", "sqlState", "\"40001\"", "count", "3", "message", "\"no\""),
				Map.of("type", "\"read-only\"", "operation", "\"update\"", "id", "\"failover\""));
	}

	@Provide
	Arbitrary<String> fields() {
		return Arbitraries.of(FIELDS);
	}

	@Provide
	Arbitrary<String> textFields() {
		return Arbitraries.of("sql", "dataSource", "scope", "id", "message", "type");
	}

	@Provide
	Arbitrary<String> unknownFieldNames() {
		Arbitrary<String> known = Arbitraries.of(FIELDS);
		Arbitrary<String> misspelt = Arbitraries.oneOf(
				// Case: "Scope", "SQLSTATE".
				known.map((field) -> field.substring(0, 1).toUpperCase(Locale.ROOT) + field.substring(1)),
				known.map((field) -> field.toUpperCase(Locale.ROOT)),
				// The property forms: "sql-state", "sql_state".
				known.map((field) -> field.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)),
				known.map((field) -> field.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT)),
				// Typos: a letter swapped, dropped or added.
				Combinators.combine(known, Arbitraries.integers().between(0, 20)).as((field, at) -> {
					int i = at % (field.length() - 1);
					return field.substring(0, i) + field.charAt(i + 1) + field.charAt(i) + field.substring(i + 2);
				}), Combinators.combine(known, Arbitraries.integers().between(0, 20)).as((field, at) -> {
					int i = at % field.length();
					return field.substring(0, i) + field.substring(i + 1);
				}), Combinators.combine(known, Arbitraries.integers().between(0, 20), Arbitraries.chars().alpha())
					.as((field, at, c) -> {
						int i = at % field.length();
						return field.substring(0, i) + c + field.substring(i);
					}),
				// Anything at all.
				Arbitraries.strings().ofMinLength(1).ofMaxLength(30));
		return misspelt.filter((name) -> !FIELDS.contains(asSent(name)));
	}

	@Provide
	Arbitrary<String> jsonValues() {
		return jsonValue(1);
	}

	@Provide
	Arbitrary<String> jsonNumbers() {
		return Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf),
				Arbitraries.of("0", "-0", "30", "0.5", "1e3", "250", "1" + "0".repeat(30)));
	}

	@Provide
	Arbitrary<String> jsonTexts() {
		return Arbitraries.of("0.5", "3", "1", "often", "", "NaN").map(DbChaosEndpointFuzzIT::quote);
	}

	@Provide
	Arbitrary<String> nonScalarOrBoolean() {
		return Arbitraries.of("true", "false", "[]", "[\"outage\"]", "[1,2]", "{}", "{\"value\":\"30s\"}",
				"{\"type\":\"outage\"}", "[[[]]]");
	}

	@Provide
	Arbitrary<Integer> indexes() {
		return Arbitraries.integers().between(0, 1000);
	}

	@Provide
	Arbitrary<Integer> depths() {
		return Arbitraries.integers().between(1, 200);
	}

	@Provide
	Arbitrary<Integer> hugeLengths() {
		return Arbitraries.of(1_000, 32_000, 60_000, 65_400, 65_536, 65_537, 70_000, 131_072, 200_000);
	}

	@Provide
	Arbitrary<String> edgeCases() {
		// Each is tried every run, however the dice fall for the random properties.
		return Arbitraries.of("{\"type\":\"latency\",\"delay\":\"106752d\"}",
				"{\"type\":\"latency\",\"delay\":\"1ms\",\"jitter\":\"106752d\"}",
				"{\"type\":\"latency\",\"delay\":\"PT2562047788015215H\"}",
				"{\"type\":\"latency\",\"delay\":\"9223372036854775807ns\",\"jitter\":\"9223372036854775807ns\"}",
				"{\"type\":\"latency\",\"delay\":\"-1ms\"}",
				"{\"type\":\"latency\",\"delay\":\"1ms\",\"jitter\":\"-1ms\"}",
				"{\"type\":\"outage\",\"duration\":\"106752d\"}",
				"{\"type\":\"outage\",\"duration\":\"PT2562047788015215H\"}",
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
				"{\"type\":\"outage\",\"unknown\":{\"deeply\":[1,2,{\"x\":null}]}}", "{\"type\":null}", "{}", "",
				"{\"type\":\"outage\",\"Scope\":\"t-42\"}", "{\"type\":\"OUTAGE\"}", "{\"type\":\"read_only\"}",
				"{\"type\":\"outage\",\"operation\":\"QUERY\"}", "{\"type\":\"outage\",\"duration\":30}",
				"{\"type\":\"outage\",\"duration\":\"30\"}", "{\"type\":\"latency\",\"delay\":250}",
				"{\"type\":\"latency\",\"delay\":\"1ms\",\"jitter\":\"5\"}",
				"{\"type\":\"outage\",\"probability\":\"0.5\"}",
				"{\"type\":\"outage\",\"scope\":\"a\",\"scope\":\"a\"}", "{\"type\":\"outage\",\"type\":\"hang\"}",
				"{\"type\":\"outage\",\"scope\":null}", "{\"type\":\"outage\",\"count\":1e0}",
				"{\"type\":\"outage\",\"count\":-0}", "{\"type\":\"outage\",\"probability\":-0}",
				"{\"type\":\"outage\",\"probability\":1e-400}", "{\"type\":\"outage\",\"sql\":\" \"}");
	}

	@Provide
	Arbitrary<String> nearlyValidBodies() {
		Arbitrary<Map<String, String>> valid = Arbitraries.of(
				Map.of("type", "\"outage\"", "scope", "\"s\"", "duration", "\"30s\""),
				Map.of("type", "\"hang\"", "operation", "\"commit\"", "probability", "0.5"),
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
		// Mostly fields dbchaos knows, so that bodies get past the first check and reach
		// the later ones.
		Arbitrary<String> key = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.of(FIELDS)),
				Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
		Arbitrary<String> type = Arbitraries.frequencyOf(Tuple.of(8,
				Arbitraries.of("outage", "hang", "latency", "error", "read-only").map(DbChaosEndpointFuzzIT::quote)),
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
				Arbitraries.strings().ofMaxLength(200), Arbitraries.strings().ascii().ofMaxLength(200),
				// JSON that is not an object, or not quite JSON.
				Arbitraries.of("", " ", "null", "true", "42", "\"outage\"", "[]", "[{\"type\":\"outage\"}]",
						"{\"type\":NaN}", "{\"type\":\"outage\",\"probability\":NaN}",
						"{\"type\":\"outage\",\"probability\":Infinity}", "{\"type\":\"outage\",\"count\":0x10}",
						"{\"type\":\"outage\",\"count\":01}", "{'type':'outage'}", "{type:outage}",
						"{\"type\":\"outage\",}", "{\"type\":\"outage\"}{\"type\":\"hang\"}", "type=outage",
						"<fault type=\"outage\"/>", "\uFEFF{\"type\":\"outage\",\"scope\":\"bom\"}"),
				// Nesting deeper than any parser should follow.
				Arbitraries.integers().between(500, 5000).map((depth) -> "[".repeat(depth) + "]".repeat(depth)),
				Arbitraries.integers()
					.between(500, 5000)
					.map((depth) -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
	}

	/**
	 * A raw JSON value: text (often one near a parser's edge), numbers of every size,
	 * booleans, null, arrays and objects.
	 */
	private static Arbitrary<String> jsonValue(int depth) {
		Arbitrary<String> text = Arbitraries
			.frequencyOf(Tuple.of(6, Arbitraries.of(TRICKY_TEXT)), Tuple.of(2, Arbitraries.strings().ofMaxLength(30)),
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

	private static String asSent(String text) {
		return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
	}

	private static String object(Map<String, String> members) {
		return members.entrySet()
			.stream()
			.map((member) -> quote(member.getKey()) + ":" + member.getValue())
			.collect(Collectors.joining(",", "{", "}"));
	}

	private static JsonNode read(HttpResponse<String> response) {
		try {
			return json.readTree(response.body());
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HttpResponse<String> postAndCheck(String kind, String body) {
		List<String> before = ruleIds();
		HttpResponse<String> response = post(body);
		int status = response.statusCode();
		statuses.computeIfAbsent(kind, (key) -> new ConcurrentHashMap<>())
			.computeIfAbsent(status, (key) -> new AtomicLong())
			.incrementAndGet();
		assertThat(status).as("status for %s, answered %s", abbreviate(body), abbreviate(response.body()))
			.isIn(201, 400);
		String broken = DocumentedRules.brokenBy(body);
		assertThat(status)
			.as("status for %s (documented rules: %s), answered %s", abbreviate(body),
					(broken != null) ? broken : "valid", abbreviate(response.body()))
			.isEqualTo((broken != null) ? 400 : 201);
		if (status == 400) {
			assertThat(ruleIds()).as("rules after 400 for %s", abbreviate(body)).isEqualTo(before);
			// The endpoint's own error shape, never the web framework's generic one.
			JsonNode error = read(response);
			List<String> keys = error.properties().stream().map(Map.Entry::getKey).toList();
			assertThat(keys).as("keys of the 400 for %s", abbreviate(body))
				.containsExactly("status", "error", "field", "reason", "message");
			assertThat(error.get("status").asInt()).isEqualTo(400);
			assertThat(error.get("field").isTextual()).isTrue();
		}
		else {
			// Keep the registry small: only the baseline rule stays.
			registry.getRules()
				.stream()
				.map(FaultRule::getId)
				.filter((id) -> !BASELINE_ID.equals(id))
				.forEach(registry::remove);
		}
		return response;
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
		long total = statuses.values()
			.stream()
			.flatMap((map) -> map.values().stream())
			.mapToLong(AtomicLong::get)
			.sum();
		Set<Integer> codes = new java.util.TreeSet<>();
		statuses.values().forEach((map) -> codes.addAll(map.keySet()));
		body.append("Bodies POSTed to `/actuator/dbchaos` of a running application (Tomcat, real PostgreSQL) ")
			.append("by jqwik properties. Every answer must be 201 or 400; a 400 must leave the rules unchanged and ")
			.append("name the field (or `body`) in the endpoint's error shape; and the answer must be the one the ")
			.append("documented rules give, checked by a model of them written apart from the endpoint's code: ")
			.append("201 for exactly the bodies they accept.\n\n");
		body.append("**")
			.append(total)
			.append(" inputs in ")
			.append(ReliabilityReport.seconds(elapsed))
			.append("**\n\n");
		StringBuilder header = new StringBuilder("| inputs | tried |");
		StringBuilder rule = new StringBuilder("|---|---:|");
		for (Integer code : codes) {
			header.append(' ').append(code).append(" |");
			rule.append("---:|");
		}
		body.append(header).append('\n').append(rule).append('\n');
		new TreeMap<>(statuses).forEach((kind, counts) -> {
			body.append("| ")
				.append(kind)
				.append(" | ")
				.append(counts.values().stream().mapToLong(AtomicLong::get).sum())
				.append(" |");
			for (Integer code : codes) {
				AtomicLong count = counts.get(code);
				body.append(' ').append((count != null) ? count.get() : 0).append(" |");
			}
			body.append('\n');
		});
		body.append(
				"\nWhat was thrown: wrong JSON types in every field (objects, arrays, booleans, numbers for text and ")
			.append("text for numbers), durations as bare numbers, numbers beyond `long` and `double`, `NaN` and ")
			.append("`Infinity` as text and as bare tokens, negative, zero and overflowing durations, types and ")
			.append("operations in the wrong case, catastrophic-backtracking and invalid regular expressions, unknown ")
			.append("and misspelt fields (case, `sql-state`, `sql_state`, swapped, dropped and added letters), ")
			.append("duplicate keys, empty and non-JSON bodies, truncated and corrupted JSON, nesting 5,000 deep at ")
			.append("the top and 200 deep in a field, strings around the 64 KiB body limit, and 10 MB strings in six ")
			.append("fields.\n");
		ReliabilityReport.write("endpoint-fuzz", "Bad input: endpoint fuzzing", DbChaosEndpointFuzzIT.class,
				body.toString());
	}

	/**
	 * The rules for a body that the README documents, as a model apart from the
	 * endpoint's code: one JSON object of at most 64 KiB (UTF-8, no byte order mark, no
	 * duplicate keys) whose members are fields of a fault, text fields as JSON strings,
	 * {@code probability} and {@code count} as JSON numbers, durations as text with a
	 * unit in one of Spring Boot's forms, {@code type} and {@code operation} exactly as
	 * documented, {@code null} or blank as absent, and each field's own rules. The fuzz
	 * application's {@code dbchaos.max-duration} is 1h.
	 */
	static final class DocumentedRules {

		private static final ObjectMapper strict = JsonMapper.builder()
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.build();

		private static final List<String> TYPES = Arrays.stream(FaultType.values()).map(FaultType::id).toList();

		private static final List<String> OPERATIONS = Arrays.stream(Operation.values()).map(Operation::id).toList();

		private static final Set<String> TEXT_FIELDS = Set.of("type", "operation", "sql", "dataSource", "scope", "id",
				"sqlState", "message");

		private static final Set<String> DURATION_FIELDS = Set.of("duration", "delay", "jitter");

		private DocumentedRules() {
		}

		/**
		 * Return the first rule the body breaks, or {@code null} if it breaks none.
		 */
		static String brokenBy(String body) {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			if (bytes.length > 64 * 1024) {
				return "larger than 64 KiB";
			}
			if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
					&& (bytes[2] & 0xff) == 0xbf) {
				return "byte order mark";
			}
			JsonNode root;
			try {
				root = strict.readTree(bytes);
			}
			catch (IOException ex) {
				return "not JSON";
			}
			if (root == null || !root.isObject()) {
				return "not a JSON object";
			}
			for (Map.Entry<String, JsonNode> member : root.properties()) {
				String field = member.getKey();
				JsonNode value = member.getValue();
				if (!FIELDS.contains(field)) {
					return "unknown field " + field;
				}
				if (value.isNull()) {
					continue;
				}
				if ((TEXT_FIELDS.contains(field) || DURATION_FIELDS.contains(field)) && !value.isTextual()) {
					return field + " not a string";
				}
				if (("probability".equals(field) || "count".equals(field)) && !value.isNumber()) {
					return field + " not a number";
				}
			}
			return brokenFieldRule(root);
		}

		private static String brokenFieldRule(JsonNode root) {
			String type = text(root, "type");
			if (type == null) {
				return "type missing";
			}
			if (!TYPES.contains(type)) {
				return "type not documented";
			}
			String operation = text(root, "operation");
			if (operation != null && !OPERATIONS.contains(operation)) {
				return "operation not documented";
			}
			JsonNode probability = root.get("probability");
			if (probability != null && !probability.isNull()
					&& !(probability.asDouble() >= 0.0 && probability.asDouble() <= 1.0)) {
				return "probability not from 0 to 1";
			}
			JsonNode count = root.get("count");
			if (count != null && !count.isNull()
					&& !(count.isIntegralNumber() && count.canConvertToInt() && count.intValue() >= 1)) {
				return "count not a whole number from 1";
			}
			String sql = (root.hasNonNull("sql")) ? root.get("sql").asText() : null;
			if (sql != null && !sql.isEmpty() && !compiles(sql)) {
				return "sql not a regular expression of at most 1000 characters";
			}
			String scope = text(root, "scope");
			if (scope != null && scope.length() > 200) {
				return "scope longer than 200";
			}
			String id = text(root, "id");
			if (id != null && (!id.matches("[A-Za-z0-9._-]{1,64}") || BASELINE_ID.equals(id))) {
				return "id not valid or in use";
			}
			Duration duration = duration(root, "duration");
			Duration delay = duration(root, "delay");
			Duration jitter = duration(root, "jitter");
			if (duration == BAD || delay == BAD || jitter == BAD) {
				return "duration, delay or jitter without a unit or not a duration";
			}
			if (duration != null
					&& (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0)) {
				return "duration not positive and at most 1h";
			}
			if ("latency".equals(type)) {
				if (delay == null || delay.isNegative() || delay.isZero() || delay.compareTo(MAX_DURATION) > 0) {
					return "delay not positive and at most 1h";
				}
				if (jitter != null && (jitter.isNegative() || jitter.compareTo(MAX_DURATION) > 0)) {
					return "jitter negative or over 1h";
				}
			}
			else if (delay != null || jitter != null) {
				return "delay or jitter on a fault that is not latency";
			}
			String sqlState = text(root, "sqlState");
			String message = text(root, "message");
			if ("error".equals(type)) {
				if (sqlState == null || !sqlState.matches("[0-9A-Z]{5}")) {
					return "sqlState missing or not 5 digits or upper-case letters";
				}
				if (message != null && message.length() > 1000) {
					return "message longer than 1000";
				}
			}
			else if (sqlState != null || message != null) {
				return "sqlState or message on a fault that is not error";
			}
			if ("read-only".equals(type) && ("connect".equals(operation) || "commit".equals(operation))) {
				return "read-only on connect or commit";
			}
			return null;
		}

		private static final Duration BAD = Duration.ofNanos(-42);

		/**
		 * The text of a field, {@code null} when absent, null or blank.
		 */
		private static String text(JsonNode root, String field) {
			JsonNode value = root.get(field);
			return (value == null || value.isNull() || value.asText().isBlank()) ? null : value.asText();
		}

		private static Duration duration(JsonNode root, String field) {
			String text = text(root, field);
			if (text == null) {
				return null;
			}
			String trimmed = text.trim();
			if (trimmed.matches("[+-]?\\d+")) {
				return BAD;
			}
			try {
				return DurationStyle.detectAndParse(trimmed);
			}
			catch (IllegalArgumentException | ArithmeticException ex) {
				return BAD;
			}
		}

		private static boolean compiles(String regex) {
			if (regex.length() > 1000) {
				return false;
			}
			try {
				Pattern.compile(regex);
				return true;
			}
			catch (PatternSyntaxException ex) {
				return false;
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FuzzApplication {

	}

}
