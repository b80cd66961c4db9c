package dev.dbchaos.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

	/**
	 * Write plain values as JSON: maps (of names to values), numbers and, as strings,
	 * anything else.
	 * @param value the value
	 * @return the JSON
	 */
	static String write(Object value) {
		if (value instanceof Number) {
			return value.toString();
		}
		if (value instanceof Map<?, ?> members) {
			StringBuilder json = new StringBuilder("{");
			members.forEach((name, member) -> json.append((json.length() > 1) ? "," : "")
				.append(quote(String.valueOf(name)))
				.append(':')
				.append(write(member)));
			return json.append('}').toString();
		}
		return quote(String.valueOf(value));
	}

	/**
	 * Read a JSON text into plain values: {@link Map} (in the members' order),
	 * {@link List}, {@link String}, {@link Double}, {@link Boolean} and {@code null}.
	 * @param json the text
	 * @return its value
	 * @throws IllegalArgumentException if it is not JSON
	 */
	static @Nullable Object parse(String json) {
		Reader reader = new Reader(json);
		Object value = reader.value();
		reader.skipWhitespace();
		if (reader.position < json.length()) {
			throw reader.error("end of the text");
		}
		return value;
	}

	private static final class Reader {

		private final String text;

		private int position;

		Reader(String text) {
			this.text = text;
		}

		@Nullable Object value() {
			skipWhitespace();
			if (this.position >= this.text.length()) {
				throw error("a value");
			}
			char c = this.text.charAt(this.position);
			return switch (c) {
				case '{' -> object();
				case '[' -> array();
				case '"' -> string();
				case 't' -> literal("true", Boolean.TRUE);
				case 'f' -> literal("false", Boolean.FALSE);
				case 'n' -> literal("null", null);
				default -> number();
			};
		}

		private Map<String, @Nullable Object> object() {
			Map<String, @Nullable Object> members = new LinkedHashMap<>();
			this.position++;
			skipWhitespace();
			if (peek() == '}') {
				this.position++;
				return members;
			}
			while (true) {
				skipWhitespace();
				if (peek() != '"') {
					throw error("a member name");
				}
				String name = string();
				skipWhitespace();
				expect(':');
				members.put(name, value());
				skipWhitespace();
				if (peek() == ',') {
					this.position++;
					continue;
				}
				expect('}');
				return members;
			}
		}

		private List<@Nullable Object> array() {
			List<@Nullable Object> elements = new ArrayList<>();
			this.position++;
			skipWhitespace();
			if (peek() == ']') {
				this.position++;
				return elements;
			}
			while (true) {
				elements.add(value());
				skipWhitespace();
				if (peek() == ',') {
					this.position++;
					continue;
				}
				expect(']');
				return elements;
			}
		}

		private String string() {
			StringBuilder result = new StringBuilder();
			this.position++;
			while (true) {
				if (this.position >= this.text.length()) {
					throw error("the end of a string");
				}
				char c = this.text.charAt(this.position++);
				if (c == '"') {
					return result.toString();
				}
				if (c != '\\') {
					result.append(c);
					continue;
				}
				if (this.position >= this.text.length()) {
					throw error("an escape");
				}
				char escaped = this.text.charAt(this.position++);
				switch (escaped) {
					case 'b' -> result.append('\b');
					case 'f' -> result.append('\f');
					case 'n' -> result.append('\n');
					case 'r' -> result.append('\r');
					case 't' -> result.append('\t');
					case 'u' -> {
						if (this.position + 4 > this.text.length()) {
							throw error("four hex digits");
						}
						result
							.append((char) Integer.parseInt(this.text.substring(this.position, this.position + 4), 16));
						this.position += 4;
					}
					default -> result.append(escaped);
				}
			}
		}

		private Double number() {
			int start = this.position;
			while (this.position < this.text.length()
					&& "+-0123456789.eE".indexOf(this.text.charAt(this.position)) >= 0) {
				this.position++;
			}
			try {
				return Double.valueOf(this.text.substring(start, this.position));
			}
			catch (NumberFormatException ex) {
				this.position = start;
				throw error("a value");
			}
		}

		private @Nullable Object literal(String literal, @Nullable Object value) {
			if (!this.text.startsWith(literal, this.position)) {
				throw error(literal);
			}
			this.position += literal.length();
			return value;
		}

		private void expect(char c) {
			if (peek() != c) {
				throw error("'" + c + "'");
			}
			this.position++;
		}

		private char peek() {
			return (this.position < this.text.length()) ? this.text.charAt(this.position) : '\0';
		}

		void skipWhitespace() {
			while (this.position < this.text.length() && Character.isWhitespace(this.text.charAt(this.position))) {
				this.position++;
			}
		}

		IllegalArgumentException error(String expected) {
			return new IllegalArgumentException("Not JSON: expected " + expected + " at " + this.position);
		}

	}

}
