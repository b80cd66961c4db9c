package dev.dbchaos.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Just enough JSON for the client, so that it needs no JSON library.
 */
final class Json {

	private Json() {
	}

	static String quote(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\r' -> quoted.append("\\r");
				case '\t' -> quoted.append("\\t");
				default -> {
					if (c < 0x20) {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

	/**
	 * Read a top-level string field whose value needs no unescaping (ids are limited to
	 * letters, digits, '.', '_' and '-').
	 * @param json the JSON object to read, as text
	 * @param name the name of the field
	 * @return the field's string value, or {@code null} if it has no such string field
	 */
	static @Nullable String stringField(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"\\\\]*)\"").matcher(json);
		return matcher.find() ? matcher.group(1) : null;
	}

	static @Nullable Integer intField(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
		return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
	}

}
