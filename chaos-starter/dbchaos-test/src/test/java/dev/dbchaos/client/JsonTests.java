package dev.dbchaos.client;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Json}.
 */
class JsonTests {

	@Test
	void parseReadsObjectsInTheirOrderArraysAndEveryKindOfValue() {
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("z", "text");
		expected.put("a", Arrays.asList(1.0, -2.5, 1.0e3, true, false, null));
		expected.put("empty", Map.of());
		expected.put("none", List.of());
		assertThat(Json
			.parse(" {\"z\": \"text\", \"a\": [1, -2.5, 1e3, true, false, null]," + " \"empty\": {}, \"none\": [] } "))
			.isEqualTo(expected)
			.satisfies((map) -> assertThat(((Map<?, ?>) map).keySet()).map(String::valueOf)
				.containsExactly("z", "a", "empty", "none"));
	}

	@Test
	void parseUnescapesStrings() {
		assertThat(Json.parse("\"say \\\"hi\\\"\\n\\t\\\\ \\u00e9\\/\"")).isEqualTo("say \"hi\"\n\t\\ \u00e9/");
	}

	@Test
	void parseRefusesWhatIsNotJson() {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("ExperimentReport[id=1]"))
			.withMessage("Not JSON: expected a value at 0");
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("{\"a\": 1"))
			.withMessage("Not JSON: expected '}' at 7");
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("[1] 2"))
			.withMessage("Not JSON: expected end of the text at 4");
		assertThatIllegalArgumentException().isThrownBy(() -> Json.parse("\"open"))
			.withMessage("Not JSON: expected the end of a string at 5");
	}

	@Test
	void writeQuotesTextAndNestsMaps() {
		Map<String, Object> members = new LinkedHashMap<>();
		members.put("meter", "a \"b\"");
		members.put("tags", Map.of("outcome", "SERVER_ERROR"));
		members.put("max", 5.0);
		assertThat(Json.write(members))
			.isEqualTo("{\"meter\":\"a \\\"b\\\"\",\"tags\":{\"outcome\":\"SERVER_ERROR\"},\"max\":5.0}");
	}

}
