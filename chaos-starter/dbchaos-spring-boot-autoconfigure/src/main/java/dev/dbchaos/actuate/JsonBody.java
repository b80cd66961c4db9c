package dev.dbchaos.actuate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.fault.InvalidFaultException;

/**
 * Reads the body posted to the endpoint: one JSON object (RFC 8259), UTF-8, without
 * duplicate field names. Written here rather than left to Jackson because the shared code
 * must run with Jackson 2 (Spring Boot 3) and Jackson 3 (Spring Boot 4) alike, and
 * because every way a body can be wrong has to be answered in the endpoint's own error
 * shape, naming what is wrong and where.
 * <p>
 * Values are {@link String}, {@link JsonNumber} (kept as written, so that nothing is
 * rounded before dbchaos checks it), {@link Boolean}, {@code null}, {@link List} and
 * {@link Map}.
 */
final class JsonBody {

	/**
	 * How deep arrays and objects may nest. No field of a fault takes either, so this
	 * only bounds the work spent on a hostile body before it is refused.
	 */
	static final int MAX_DEPTH = 32;

	private final String text;

	private int position;

	private JsonBody(String text) {
		this.text = text;
	}

	/**
	 * Parse a body that must be a JSON object.
	 * @param bytes the body as sent
	 * @return the object's members, in the order they were sent
	 * @throws InvalidFaultException naming {@code body} when the body is not a JSON
	 * object, or a field that appears more than once
	 */
	static Map<String, @Nullable Object> parseObject(byte[] bytes) {
		String text = decode(bytes);
		JsonBody parser = new JsonBody(text);
		parser.skipWhitespace();
		if (parser.atEnd()) {
			throw new InvalidFaultException("body", "is empty; expected a JSON object such as {\"type\":\"outage\"}");
		}
		Object value = parser.readValue(0);
		parser.skipWhitespace();
		if (!parser.atEnd()) {
			throw parser.syntaxError("unexpected " + parser.describeNext() + " after the end of the JSON value");
		}
		if (value instanceof Map<?, ?> object) {
			@SuppressWarnings("unchecked")
			Map<String, @Nullable Object> members = (Map<String, @Nullable Object>) object;
			return members;
		}
		throw new InvalidFaultException("body",
				"must be a JSON object such as {\"type\":\"outage\"}, was " + describe(value));
	}

	/**
	 * Describe a parsed value's JSON type, for error messages.
	 * @param value the value
	 * @return such as {@code "a number"} or {@code "an array"}
	 */
	static String describe(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof String) {
			return "a string";
		}
		if (value instanceof JsonNumber) {
			return "a number";
		}
		if (value instanceof Boolean bool) {
			return bool.toString();
		}
		if (value instanceof List) {
			return "an array";
		}
		return "an object";
	}

	private static String decode(byte[] bytes) {
		try {
			// Strict: a body that is not UTF-8 is refused, not read with replacement
			// characters.
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidFaultException("body", "is not valid JSON: it is not UTF-8 text");
		}
	}

	private @Nullable Object readValue(int depth) {
		skipWhitespace();
		if (atEnd()) {
			throw syntaxError("the body ends where a value was expected");
		}
		char c = this.text.charAt(this.position);
		return switch (c) {
			case '{' -> readObject(depth + 1);
			case '[' -> readArray(depth + 1);
			case '"' -> readString();
			case 't' -> readLiteral("true", Boolean.TRUE);
			case 'f' -> readLiteral("false", Boolean.FALSE);
			case 'n' -> readLiteral("null", null);
			default -> {
				if (c == '-' || (c >= '0' && c <= '9')) {
					yield readNumber();
				}
				throw syntaxError("unexpected " + describeNext() + " where a value was expected");
			}
		};
	}

	private Map<String, @Nullable Object> readObject(int depth) {
		checkDepth(depth);
		this.position++;
		Map<String, @Nullable Object> members = new LinkedHashMap<>();
		skipWhitespace();
		if (consume('}')) {
			return members;
		}
		while (true) {
			skipWhitespace();
			if (atEnd() || this.text.charAt(this.position) != '"') {
				throw syntaxError("expected a field name in double quotes but found " + describeNext());
			}
			String name = readString();
			skipWhitespace();
			if (!consume(':')) {
				throw syntaxError("expected ':' after field name but found " + describeNext());
			}
			Object value = readValue(depth);
			// Duplicates matter for the fields of a fault (which one would count?);
			// deeper down
			// every value is refused anyway, as no field takes an object.
			if (depth == 1 && members.containsKey(name)) {
				throw new InvalidFaultException(FaultRequest.abbreviate(name), "appears more than once in the body");
			}
			members.put(name, value);
			skipWhitespace();
			if (consume('}')) {
				return members;
			}
			if (!consume(',')) {
				throw syntaxError("expected ',' or '}' but found " + describeNext());
			}
		}
	}

	private List<@Nullable Object> readArray(int depth) {
		checkDepth(depth);
		this.position++;
		List<@Nullable Object> items = new ArrayList<>();
		skipWhitespace();
		if (consume(']')) {
			return items;
		}
		while (true) {
			items.add(readValue(depth));
			skipWhitespace();
			if (consume(']')) {
				return items;
			}
			if (!consume(',')) {
				throw syntaxError("expected ',' or ']' but found " + describeNext());
			}
		}
	}

	private void checkDepth(int depth) {
		if (depth > MAX_DEPTH) {
			throw new InvalidFaultException("body", "is nested more than " + MAX_DEPTH + " levels deep");
		}
	}

	private String readString() {
		int start = this.position;
		this.position++;
		StringBuilder value = new StringBuilder();
		while (true) {
			if (atEnd()) {
				this.position = start;
				throw syntaxError("a string starting here is not closed");
			}
			char c = this.text.charAt(this.position++);
			if (c == '"') {
				return value.toString();
			}
			if (c == '\\') {
				readEscape(value);
			}
			else if (c < 0x20) {
				this.position--;
				throw syntaxError(
						"control character U+" + String.format("%04X", (int) c) + " in a string must be escaped");
			}
			else {
				value.append(c);
			}
		}
	}

	private void readEscape(StringBuilder value) {
		if (atEnd()) {
			throw syntaxError("the body ends inside an escape sequence");
		}
		char c = this.text.charAt(this.position++);
		switch (c) {
			case '"' -> value.append('"');
			case '\\' -> value.append('\\');
			case '/' -> value.append('/');
			case 'b' -> value.append('\b');
			case 'f' -> value.append('\f');
			case 'n' -> value.append('\n');
			case 'r' -> value.append('\r');
			case 't' -> value.append('\t');
			case 'u' -> {
				if (this.position + 4 > this.text.length()) {
					throw syntaxError("\\u must be followed by four hexadecimal digits");
				}
				int code = 0;
				for (int i = 0; i < 4; i++) {
					int digit = Character.digit(this.text.charAt(this.position + i), 16);
					if (digit < 0) {
						throw syntaxError("\\u must be followed by four hexadecimal digits");
					}
					code = code * 16 + digit;
				}
				this.position += 4;
				value.append((char) code);
			}
			default -> {
				this.position--;
				throw syntaxError("'\\" + c + "' is not a JSON escape sequence");
			}
		}
	}

	private Object readNumber() {
		int start = this.position;
		consume('-');
		if (consume('0')) {
			if (!atEnd() && isDigit(this.text.charAt(this.position))) {
				throw syntaxError("a number must not have leading zeros");
			}
		}
		else if (!readDigits()) {
			throw syntaxError("expected a digit but found " + describeNext());
		}
		if (consume('.') && !readDigits()) {
			throw syntaxError("expected a digit after the decimal point but found " + describeNext());
		}
		if (!atEnd() && (this.text.charAt(this.position) == 'e' || this.text.charAt(this.position) == 'E')) {
			this.position++;
			if (!consume('+')) {
				consume('-');
			}
			if (!readDigits()) {
				throw syntaxError("expected a digit in the exponent but found " + describeNext());
			}
		}
		return new JsonNumber(this.text.substring(start, this.position));
	}

	private boolean readDigits() {
		int start = this.position;
		while (!atEnd() && isDigit(this.text.charAt(this.position))) {
			this.position++;
		}
		return this.position > start;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private @Nullable Object readLiteral(String literal, @Nullable Object value) {
		if (!this.text.startsWith(literal, this.position)) {
			throw syntaxError("unexpected " + describeNext() + " where a value was expected");
		}
		this.position += literal.length();
		return value;
	}

	private boolean consume(char c) {
		if (!atEnd() && this.text.charAt(this.position) == c) {
			this.position++;
			return true;
		}
		return false;
	}

	private void skipWhitespace() {
		while (!atEnd()) {
			char c = this.text.charAt(this.position);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.position++;
		}
	}

	private boolean atEnd() {
		return this.position >= this.text.length();
	}

	private String describeNext() {
		if (atEnd()) {
			return "the end of the body";
		}
		int c = this.text.codePointAt(this.position);
		return (c > 0x20 && c < 0x7f) ? "'" + (char) c + "'" : String.format("U+%04X", c);
	}

	private InvalidFaultException syntaxError(String problem) {
		int line = 1;
		int column = 1;
		for (int i = 0; i < this.position && i < this.text.length(); i++) {
			if (this.text.charAt(i) == '\n') {
				line++;
				column = 1;
			}
			else {
				column++;
			}
		}
		return new InvalidFaultException("body",
				"is not valid JSON: " + problem + " (line " + line + ", column " + column + ")");
	}

	/**
	 * A JSON number as written in the body, unrounded.
	 *
	 * @param text the number's text, such as {@code 0.5} or {@code 1e309}
	 */
	record JsonNumber(String text) {

		@Override
		public String toString() {
			return this.text;
		}

	}

}
