package dev.dbchaos.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader, enough for JMH's result files: objects become {@link Map}s in
 * document order, arrays {@link List}s, numbers {@link Double}s. JMH writes {@code "NaN"}
 * for missing numbers as a string, which callers handle.
 */
final class Json {

	private final String text;

	private int position;

	private Json(String text) {
		this.text = text;
	}

	/**
	 * Parse a JSON document.
	 * @param text the document
	 * @return its value
	 */
	static Object parse(String text) {
		Json json = new Json(text);
		Object value = json.value();
		json.skipWhitespace();
		if (json.position != text.length()) {
			throw json.error("Trailing content");
		}
		return value;
	}

	private Object value() {
		skipWhitespace();
		char c = peek();
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

	private Map<String, Object> object() {
		Map<String, Object> object = new LinkedHashMap<>();
		expect('{');
		skipWhitespace();
		if (peek() == '}') {
			this.position++;
			return object;
		}
		while (true) {
			skipWhitespace();
			String key = string();
			skipWhitespace();
			expect(':');
			object.put(key, value());
			skipWhitespace();
			if (peek() == ',') {
				this.position++;
			}
			else {
				expect('}');
				return object;
			}
		}
	}

	private List<Object> array() {
		List<Object> array = new ArrayList<>();
		expect('[');
		skipWhitespace();
		if (peek() == ']') {
			this.position++;
			return array;
		}
		while (true) {
			array.add(value());
			skipWhitespace();
			if (peek() == ',') {
				this.position++;
			}
			else {
				expect(']');
				return array;
			}
		}
	}

	private String string() {
		expect('"');
		StringBuilder builder = new StringBuilder();
		while (true) {
			char c = this.text.charAt(this.position++);
			if (c == '"') {
				return builder.toString();
			}
			if (c != '\\') {
				builder.append(c);
				continue;
			}
			char escaped = this.text.charAt(this.position++);
			switch (escaped) {
				case 'n' -> builder.append('\n');
				case 't' -> builder.append('\t');
				case 'r' -> builder.append('\r');
				case 'b' -> builder.append('\b');
				case 'f' -> builder.append('\f');
				case 'u' -> {
					builder.append((char) Integer.parseInt(this.text.substring(this.position, this.position + 4), 16));
					this.position += 4;
				}
				default -> builder.append(escaped);
			}
		}
	}

	private Double number() {
		int start = this.position;
		while (this.position < this.text.length() && "+-0123456789.eE".indexOf(this.text.charAt(this.position)) >= 0) {
			this.position++;
		}
		if (start == this.position) {
			throw error("Unexpected character");
		}
		return Double.valueOf(this.text.substring(start, this.position));
	}

	private Object literal(String literal, Object value) {
		if (!this.text.startsWith(literal, this.position)) {
			throw error("Expected " + literal);
		}
		this.position += literal.length();
		return value;
	}

	private void expect(char c) {
		if (peek() != c) {
			throw error("Expected '" + c + "'");
		}
		this.position++;
	}

	private char peek() {
		if (this.position >= this.text.length()) {
			throw error("Unexpected end");
		}
		return this.text.charAt(this.position);
	}

	private void skipWhitespace() {
		while (this.position < this.text.length() && Character.isWhitespace(this.text.charAt(this.position))) {
			this.position++;
		}
	}

	private IllegalArgumentException error(String message) {
		return new IllegalArgumentException(message + " at offset " + this.position);
	}

}
