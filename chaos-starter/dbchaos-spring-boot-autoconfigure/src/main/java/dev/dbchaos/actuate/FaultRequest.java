package dev.dbchaos.actuate;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.dbchaos.actuate.JsonBody.JsonNumber;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;
import dev.dbchaos.fault.Operation;

import org.springframework.boot.convert.DurationStyle;

/**
 * The fields of a fault as posted to the endpoint, all as text so that every malformed value is
 * reported by dbchaos, naming the field, rather than by a generic conversion failure.
 * <p>
 * The rules are strict, because the endpoint is typed at on live services and a mistake that
 * is silently taken for something else (a misspelt {@code scope} ignored, making a scoped fault
 * global; {@code 30} read as 30 milliseconds) breaks more than the operator meant to:
 * <ul>
 * <li>unknown fields are refused, suggesting the closest known one;</li>
 * <li>{@code type} and {@code operation} must be written exactly as documented
 * ({@code read-only}, not {@code READ_ONLY}): a value that differs only in case or spelling is
 * refused with the canonical one as suggestion;</li>
 * <li>{@code duration}, {@code delay} and {@code jitter} need a unit ({@code 30s}, {@code PT30S});
 * a bare number is refused;</li>
 * <li>in a JSON body, text fields take JSON strings, {@code probability} and {@code count} JSON
 * numbers, and {@code null} is the same as leaving the field out.</li>
 * </ul>
 *
 * @author dbchaos
 */
public record FaultRequest(String type, String operation, String sql, String dataSource, String probability,
		String count, String duration, String scope, String id, String delay, String jitter, String sqlState,
		String message) {

	/**
	 * The fields a fault takes, in the order they are checked.
	 */
	static final List<String> FIELDS = List.of("type", "operation", "sql", "dataSource", "probability", "count",
			"duration", "scope", "id", "delay", "jitter", "sqlState", "message");

	private static final List<String> TYPES = Arrays.stream(FaultType.values()).map(FaultType::id).toList();

	private static final List<String> OPERATIONS = Arrays.stream(Operation.values()).map(Operation::id).toList();

	/**
	 * Create a request from the members of a posted JSON object, checking that every member is a
	 * field a fault takes and has the JSON type that field takes.
	 * @param members the members of the JSON object, as {@link JsonBody} reads them
	 * @return the request
	 * @throws InvalidFaultException naming the first unknown field, or the first field of the
	 * wrong JSON type
	 */
	static FaultRequest fromJson(Map<String, Object> members) {
		for (String name : members.keySet()) {
			if (!FIELDS.contains(name)) {
				throw unknownField(name);
			}
		}
		return new FaultRequest(text(members, "type"), text(members, "operation"), text(members, "sql"),
				text(members, "dataSource"), number(members, "probability", "a number from 0 to 1, such as 0.5"),
				number(members, "count", "a whole number, such as 3"), duration(members, "duration"),
				text(members, "scope"), text(members, "id"), duration(members, "delay"), duration(members, "jitter"),
				text(members, "sqlState"), text(members, "message"));
	}

	/**
	 * Return the refusal of a field or parameter that is not known.
	 * @param name the name as sent
	 * @return the exception naming it, with the closest known field if one is close
	 */
	static InvalidFaultException unknownField(String name) {
		return unknownName(name, FIELDS, "unknown field");
	}

	/**
	 * Return the refusal of a name that is not one of the known ones.
	 * @param name the name as sent
	 * @param known the known names
	 * @param what how to call it, such as {@code unknown field}
	 * @return the exception naming it, with the closest known name if one is close
	 */
	static InvalidFaultException unknownName(String name, List<String> known, String what) {
		String suggestion = Suggestions.closest(name, known);
		String reason = (suggestion != null) ? what + "; did you mean " + suggestion + "?"
				: what + "; expected one of " + String.join(", ", known);
		return new InvalidFaultException(abbreviate(name), reason);
	}

	private static String text(Map<String, Object> members, String field) {
		Object value = members.get(field);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw new InvalidFaultException(field, "must be a string, was " + JsonBody.describe(value));
	}

	private static String number(Map<String, Object> members, String field, String expected) {
		Object value = members.get(field);
		if (value == null) {
			return null;
		}
		if (value instanceof JsonNumber number) {
			return number.text();
		}
		String shown = (value instanceof String text) ? "a string ('" + abbreviate(text) + "')"
				: JsonBody.describe(value);
		throw new InvalidFaultException(field, "must be a JSON number, " + expected + ", was " + shown);
	}

	private static String duration(Map<String, Object> members, String field) {
		Object value = members.get(field);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		if (value instanceof JsonNumber number) {
			throw new InvalidFaultException(field, noUnit(number.text()));
		}
		throw new InvalidFaultException(field,
				"must be a duration with a unit, such as \"30s\" or \"PT30S\", was " + JsonBody.describe(value));
	}

	/**
	 * Parse and validate the request.
	 * @return the fault it asks for
	 * @throws InvalidFaultException naming the first offending field
	 */
	public FaultSpec toSpec() {
		if (this.type == null || this.type.isBlank()) {
			throw new InvalidFaultException("type", "is required; expected one of " + String.join(", ", TYPES));
		}
		return FaultSpec.builder(parse("type", this.type, FaultRequest::faultType))
			.operation(parse("operation", this.operation, FaultRequest::operation))
			.sql(this.sql)
			.dataSource(this.dataSource)
			.probability(parse("probability", this.probability, FaultRequest::number))
			.count(parse("count", this.count, FaultRequest::wholeNumber))
			.duration(parse("duration", this.duration, FaultRequest::duration))
			.scope(this.scope)
			.id(this.id)
			.delay(parse("delay", this.delay, FaultRequest::duration))
			.jitter(parse("jitter", this.jitter, FaultRequest::duration))
			.sqlState(this.sqlState)
			.message(this.message)
			.build();
	}

	private static <T> T parse(String field, String text, Function<String, T> parser) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return parser.apply(text);
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			throw new InvalidFaultException(field, ex.getMessage());
		}
	}

	// The core accepts any case (and "_" for "-"); the endpoint does not, so that what an
	// operator types is what the documentation, the logs and the metrics' tags say.
	private static FaultType faultType(String text) {
		for (FaultType type : FaultType.values()) {
			if (type.id().equals(text)) {
				return type;
			}
		}
		throw new IllegalArgumentException(notOneOf(text, "a fault type", TYPES));
	}

	private static Operation operation(String text) {
		for (Operation operation : Operation.values()) {
			if (operation.id().equals(text)) {
				return operation;
			}
		}
		throw new IllegalArgumentException(notOneOf(text, "an operation", OPERATIONS));
	}

	private static String notOneOf(String text, String what, List<String> valid) {
		String suggestion = Suggestions.closest(text, valid);
		String hint = (suggestion != null) ? "did you mean " + suggestion + "?"
				: "expected one of " + String.join(", ", valid);
		return "'" + abbreviate(text) + "' is not " + what + "; " + hint;
	}

	private static Double number(String text) {
		try {
			return Double.valueOf(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a number");
		}
	}

	private static Integer wholeNumber(String text) {
		try {
			return Integer.valueOf(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a whole number from 1 to "
					+ Integer.MAX_VALUE);
		}
	}

	private static Duration duration(String text) {
		String trimmed = text.trim();
		// Spring Boot reads a bare number as milliseconds; typed at a live service, "30" is far
		// more likely to mean seconds, so a duration must say its unit.
		if (trimmed.matches("[+-]?\\d+")) {
			throw new IllegalArgumentException(noUnit(trimmed));
		}
		try {
			return DurationStyle.detectAndParse(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"'" + abbreviate(text) + "' is not a duration; use a form such as 250ms, 30s, 2m or PT2M");
		}
	}

	private static String noUnit(String number) {
		// The examples repeat the number when it is a plain one, as a reminder of what was sent.
		String example = number.matches("\\d{1,9}") ? number : "30";
		return "'" + abbreviate(number) + "' has no unit; write a duration with one, such as \"" + example
				+ "s\", \"" + example + "ms\" or \"PT" + example + "S\"";
	}

	static String abbreviate(String text) {
		return (text.length() > 40) ? text.substring(0, 40) + "..." : text;
	}

}
