package dev.dbchaos.actuate;

import java.time.Duration;
import java.util.function.Function;

import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;
import dev.dbchaos.fault.Operation;

import org.springframework.boot.convert.DurationStyle;

/**
 * The fields of a fault as posted to the endpoint, all as text so that every malformed value is
 * reported by dbchaos, naming the field, rather than by a generic conversion failure.
 *
 * @author dbchaos
 */
public record FaultRequest(String type, String operation, String sql, String dataSource, String probability,
		String count, String duration, String scope, String id, String delay, String jitter, String sqlState,
		String message) {

	/**
	 * Parse and validate the request.
	 * @return the fault it asks for
	 * @throws InvalidFaultException naming the first offending field
	 */
	public FaultSpec toSpec() {
		if (this.type == null || this.type.isBlank()) {
			throw new InvalidFaultException("type",
					"is required; expected one of outage, hang, latency, error, read-only");
		}
		return FaultSpec.builder(parse("type", this.type, FaultType::of))
			.operation(parse("operation", this.operation, Operation::of))
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
			return parser.apply(text.trim());
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			throw new InvalidFaultException(field, ex.getMessage());
		}
	}

	private static Double number(String text) {
		try {
			return Double.valueOf(text);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a number");
		}
	}

	private static Integer wholeNumber(String text) {
		try {
			return Integer.valueOf(text);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a whole number from 1 to "
					+ Integer.MAX_VALUE);
		}
	}

	private static Duration duration(String text) {
		try {
			return DurationStyle.detectAndParse(text);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"'" + abbreviate(text) + "' is not a duration; use a form such as 250ms, 30s, 2m or PT2M");
		}
	}

	private static String abbreviate(String text) {
		return (text.length() > 40) ? text.substring(0, 40) + "..." : text;
	}

}
