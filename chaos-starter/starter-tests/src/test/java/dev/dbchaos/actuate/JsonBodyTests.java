package dev.dbchaos.actuate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dbchaos.actuate.JsonBody.JsonNumber;
import dev.dbchaos.fault.InvalidFaultException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JsonBody}.
 */
class JsonBodyTests {

	@Test
	void readsTheMembersOfAnObjectInTheOrderTheyWereSent() {
		Map<String, Object> members = parse(
				" {\"type\" : \"latency\", \"delay\":\"250ms\",\"probability\":0.50,\"count\":3,\"x\":[true,false,null],"
						+ "\"y\":{\"z\":-1.5e-3}}\n");
		assertThat(members).containsExactly(Map.entry("type", "latency"), Map.entry("delay", "250ms"),
				Map.entry("probability", new JsonNumber("0.50")), Map.entry("count", new JsonNumber("3")),
				Map.entry("x", java.util.Arrays.asList(true, false, null)),
				Map.entry("y", Map.of("z", new JsonNumber("-1.5e-3"))));
	}

	@Test
	void keepsNumbersAsWrittenSoThatNothingIsRoundedBeforeItIsChecked() {
		assertThat(parse("{\"count\":2147483648,\"probability\":1e309}"))
			.containsEntry("count", new JsonNumber("2147483648"))
			.containsEntry("probability", new JsonNumber("1e309"));
	}

	@Test
	void unescapesStrings() {
		assertThat(parse("{\"sql\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\uD83D\\uDCA5\"}")).containsEntry("sql",
				"a\"b\\c/d\né\uD83D\uDCA5");
	}

	@Test
	void refusesABodyThatIsNotAnObjectNamingWhatItIs() {
		assertThat(refusal("[{\"type\":\"outage\"}]").getReason())
			.isEqualTo("must be a JSON object such as {\"type\":\"outage\"}, was an array");
		assertThat(refusal("\"outage\"").getReason()).endsWith("was a string");
		assertThat(refusal("42").getReason()).endsWith("was a number");
		assertThat(refusal("null").getReason()).endsWith("was null");
		assertThat(refusal("true").getReason()).endsWith("was true");
	}

	@Test
	void refusesAnEmptyBody() {
		assertThat(refusal("").getReason()).startsWith("is empty");
		assertThat(refusal(" \n\t").getReason()).startsWith("is empty");
	}

	@Test
	void refusesMalformedJsonSayingWhereItWentWrong() {
		InvalidFaultException refusal = refusal("{\n  \"type\": \"outage\",\n  \"scope\" \"x\"\n}");
		assertThat(refusal.getField()).isEqualTo("body");
		assertThat(refusal.getReason())
			.isEqualTo("is not valid JSON: expected ':' after field name but found '\"' (line 3, column 11)");
	}

	@Test
	void refusesWhatJsonDoesNotAllow() {
		List<String> bodies = List.of("{'type':'outage'}", "{type:\"outage\"}", "{\"type\":\"outage\",}",
				"{\"count\":01}", "{\"count\":1.}", "{\"count\":.5}", "{\"count\":+1}", "{\"count\":0x10}",
				"{\"probability\":NaN}", "{\"probability\":Infinity}", "{\"type\":\"out\tage\"}", "{\"type\":\"\\x\"}",
				"{\"type\":\"\\u12\"}", "{\"type\":\"outage\"", "{\"type\":\"outage", "{\"type\":\"outage\"}{}",
				"{\"type\":\"outage\"} x", "{\"a\":tru}", "\uFEFF{}", "{/*c*/}");
		assertThat(bodies)
			.allSatisfy((body) -> assertThat(refusal(body).getReason()).startsWith("is not valid JSON: "));
	}

	@Test
	void refusesABodyThatIsNotUtf8() {
		byte[] latin1 = "{\"message\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> JsonBody.parseObject(latin1))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo("is not valid JSON: it is not UTF-8 text"));
	}

	@Test
	void refusesAFieldThatAppearsTwiceNamingIt() {
		InvalidFaultException refusal = refusal("{\"type\":\"outage\",\"scope\":\"a\",\"scope\":\"b\"}");
		assertThat(refusal.getField()).isEqualTo("scope");
		assertThat(refusal.getReason()).isEqualTo("appears more than once in the body");
	}

	@Test
	void refusesNestingDeeperThanTheLimitWithoutRecursingFurther() {
		assertThat(refusal("[".repeat(100_000)).getReason()).isEqualTo("is nested more than 32 levels deep");
		assertThat(parse("{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}")).containsKey("a");
	}

	private static Map<String, Object> parse(String body) {
		return JsonBody.parseObject(body.getBytes(StandardCharsets.UTF_8));
	}

	private static InvalidFaultException refusal(String body) {
		InvalidFaultException[] refusal = new InvalidFaultException[1];
		assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> parse(body))
			.satisfies((ex) -> refusal[0] = ex);
		assertThat(refusal[0].getField()).as(body).isNotNull();
		return refusal[0];
	}

}
