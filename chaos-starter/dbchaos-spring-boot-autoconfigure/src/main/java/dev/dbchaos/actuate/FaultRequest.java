package dev.dbchaos.actuate;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

import dev.dbchaos.actuate.JsonBody.JsonNumber;
import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;
import dev.dbchaos.fault.Operation;

/**
 * The fields of a fault as posted to the endpoint, all as text so that every malformed
 * value is reported by dbchaos, naming the field, rather than by a generic conversion
 * failure. The fields are those of {@link FaultField#all()}; how a value is read depends
 * only on the type the field takes, so a new field needs nothing here.
 * <p>
 * The rules are strict, because the endpoint is typed at on live services and a mistake
 * that is silently taken for something else (a misspelt {@code scope} ignored, making a
 * scoped fault global; {@code 30} read as 30 milliseconds) breaks more than the operator
 * meant to:
 * <ul>
 * <li>unknown fields are refused, suggesting the closest known one;</li>
 * <li>{@code type} and {@code operation} must be written exactly as documented
 * ({@code read-only}, not {@code READ_ONLY}): a value that differs only in case or
 * spelling is refused with the canonical one as suggestion;</li>
 * <li>{@code duration}, {@code delay} and {@code jitter} need a unit ({@code 30s},
 * {@code PT30S}); a bare number is refused;</li>
 * <li>in a JSON body, text fields take JSON strings, {@code probability} and
 * {@code count} JSON numbers, and {@code null} is the same as leaving the field out.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class FaultRequest {

	private static final List<String> TYPES = Arrays.stream(FaultType.values()).map(FaultType::id).toList();

	private static final List<String> OPERATIONS = Arrays.stream(Operation.values()).map(Operation::id).toList();

	// How the text of a field is read, by the type the builder takes it as; text fields
	// are
	// handed on as they are, so that the builder decides what blank means for each.
	private static final Map<Class<?>, Function<String, ?>> PARSERS = Map.of(FaultType.class, FaultRequest::faultType,
			Operation.class, FaultRequest::operation, Double.class, FaultRequest::number, Integer.class,
			FaultRequest::wholeNumber, Duration.class, FaultRequest::duration);

	private final Map<String, @Nullable String> fields;

	private FaultRequest(Map<String, @Nullable String> fields) {
		this.fields = fields;
	}

	/**
	 * Create a request from the fields as Spring Boot bound them, as text, in the order
	 * of the parameters of the endpoint's write operations.
	 * @param values the value of each field, in the order of {@link FaultField#all()},
	 * each {@code null} when not sent
	 * @return the request
	 */
	public static FaultRequest of(@Nullable String... values) {
		List<FaultField<?>> all = FaultField.all();
		if (values.length != all.size()) {
			throw new IllegalArgumentException(
					"Expected a value for each of " + FaultField.names() + ", got " + values.length);
		}
		Map<String, @Nullable String> fields = new HashMap<>();
		for (int i = 0; i < values.length; i++) {
			fields.put(all.get(i).name(), values[i]);
		}
		return new FaultRequest(fields);
	}

	/**
	 * Create a request from fields as text, by name.
	 * @param fields the text of each field sent, by the field's name; a field that is not
	 * there was not sent
	 * @return the request
	 * @throws IllegalArgumentException if a name is not that of a field
	 */
	public static FaultRequest of(Map<String, String> fields) {
		for (String name : fields.keySet()) {
			if (FaultField.named(name).isEmpty()) {
				throw new IllegalArgumentException("'" + name + "' is not a field of a fault; expected one of "
						+ String.join(", ", FaultField.names()));
			}
		}
		return new FaultRequest(new HashMap<>(fields));
	}

	/**
	 * Create a request from the members of a posted JSON object, checking that every
	 * member is a field a fault takes and has the JSON type that field takes.
	 * @param members the members of the JSON object, as {@link JsonBody} reads them
	 * @return the request
	 * @throws InvalidFaultException naming the first unknown field, or the first field of
	 * the wrong JSON type
	 */
	static FaultRequest fromJson(Map<String, @Nullable Object> members) {
		for (String name : members.keySet()) {
			if (FaultField.named(name).isEmpty()) {
				throw unknownField(name);
			}
		}
		Map<String, @Nullable String> fields = new HashMap<>();
		for (FaultField<?> field : FaultField.all()) {
			fields.put(field.name(), jsonText(field, members.get(field.name())));
		}
		return new FaultRequest(fields);
	}

	/**
	 * Return the refusal of a field or parameter that is not known.
	 * @param name the name as sent
	 * @return the exception naming it, with the closest known field if one is close
	 */
	static InvalidFaultException unknownField(String name) {
		return unknownName(name, FaultField.names(), "unknown field");
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

	/**
	 * Return the text of a member, checking it has the JSON type of the field: a JSON
	 * number for numbers, a string for everything else, where a duration sent as a bare
	 * number is refused for having no unit.
	 * @param field the field the member sets
	 * @param value the member's value as {@link JsonBody} read it, or {@code null} if
	 * absent
	 * @return the member's text, or {@code null} if the member is absent or JSON
	 * {@code null}
	 */
	private static @Nullable String jsonText(FaultField<?> field, @Nullable Object value) {
		if (value == null) {
			return null;
		}
		boolean number = Number.class.isAssignableFrom(field.type());
		if (!number && value instanceof String text) {
			return text;
		}
		if (number && value instanceof JsonNumber json) {
			return json.text();
		}
		if (number) {
			String shown = (value instanceof String text) ? "a string ('" + abbreviate(text) + "')"
					: JsonBody.describe(value);
			throw new InvalidFaultException(field.name(),
					"must be a JSON number, " + field.expected() + ", was " + shown);
		}
		if (field.type() != Duration.class) {
			throw new InvalidFaultException(field.name(), "must be a string, was " + JsonBody.describe(value));
		}
		if (value instanceof JsonNumber json) {
			throw new InvalidFaultException(field.name(), noUnit(json.text()));
		}
		throw new InvalidFaultException(field.name(),
				"must be a duration with a unit, such as \"30s\" or \"PT30S\", was " + JsonBody.describe(value));
	}

	/**
	 * Return the text sent for a field.
	 * @param field the field
	 * @return the text, or {@code null} when it was not sent
	 */
	public @Nullable String get(FaultField<?> field) {
		return this.fields.get(field.name());
	}

	/**
	 * Parse and validate the request.
	 * @return the fault it asks for
	 * @throws InvalidFaultException naming the first offending field
	 */
	public FaultSpec toSpec() {
		return FaultSpec.of(this::parse);
	}

	private @Nullable Object parse(FaultField<?> field) {
		String text = get(field);
		Function<String, ?> parser = PARSERS.get(field.type());
		if (parser == null) {
			return text;
		}
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return parser.apply(text);
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			throw new InvalidFaultException(field.name(), ex.getMessage());
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof FaultRequest request && this.fields.equals(request.fields));
	}

	@Override
	public int hashCode() {
		return this.fields.hashCode();
	}

	@Override
	public String toString() {
		return "FaultRequest" + this.fields;
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
			throw new IllegalArgumentException(
					"'" + abbreviate(text) + "' is not a whole number from 1 to " + Integer.MAX_VALUE);
		}
	}

	private static Duration duration(String text) {
		String trimmed = text.trim();
		// Spring Boot reads a bare number as milliseconds; typed at a live service, "30"
		// is far
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
		// The examples repeat the number when it is a plain one, as a reminder of what
		// was sent.
		String example = number.matches("\\d{1,9}") ? number : "30";
		return "'" + abbreviate(number) + "' has no unit; write a duration with one, such as \"" + example + "s\", \""
				+ example + "ms\" or \"PT" + example + "S\"";
	}

	static String abbreviate(String text) {
		return (text.length() > 40) ? text.substring(0, 40) + "..." : text;
	}

}
