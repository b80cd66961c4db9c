package dev.dbchaos.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

import dev.dbchaos.actuate.JsonBody.JsonNumber;
import dev.dbchaos.experiment.Check;
import dev.dbchaos.experiment.ExperimentDefinition;
import dev.dbchaos.experiment.Step;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * An experiment as posted to {@code /actuator/dbchaos/experiments}, read into an
 * {@link ExperimentDefinition}. A step's {@code fault} is read by {@link FaultRequest},
 * exactly as a fault posted on its own; every refusal names the field by its path, such
 * as {@code steps[1].fault.type} or {@code guards[0].meter}.
 *
 * @since 0.1.0
 */
public final class ExperimentRequest {

	private static final List<String> FIELDS = List.of("name", "steps", "hypothesis", "recoverWithin", "guards");

	private static final List<String> STEP_FIELDS = List.of("at", "fault");

	private static final List<String> HEALTH_FIELDS = List.of("health", "status");

	private static final List<String> METER_FIELDS = List.of("meter", "tags", "max", "window");

	private ExperimentRequest() {
	}

	/**
	 * Read a posted experiment.
	 * @param body the experiment as sent
	 * @param checks makes the checks it names
	 * @return the definition
	 * @throws InvalidFaultException naming the first offending field
	 */
	public static ExperimentDefinition parse(byte[] body, Checks checks) {
		return parse(JsonBody.parseObject(body), checks);
	}

	static ExperimentDefinition parse(Map<String, @Nullable Object> members, Checks checks) {
		known(members, FIELDS, "");
		String name = text(members, "name", "");
		List<Step> steps = new ArrayList<>();
		List<Map<String, @Nullable Object>> stepMembers = objects(members, "steps");
		if (stepMembers.isEmpty()) {
			throw new InvalidFaultException("steps", "is required: at least one step with a fault");
		}
		for (int i = 0; i < stepMembers.size(); i++) {
			String prefix = "steps[" + i + "].";
			Map<String, @Nullable Object> step = stepMembers.get(i);
			known(step, STEP_FIELDS, prefix);
			Duration at = duration(step, "at", prefix, Duration.ZERO);
			if (!(step.get("fault") instanceof Map<?, ?> fault)) {
				throw new InvalidFaultException(prefix + "fault",
						"is required: a fault as POST /actuator/dbchaos takes");
			}
			// A fleet's instances, read as for a posted fault and checked by the fleet.
			Map<Object, Object> faultMembers = new LinkedHashMap<>(fault);
			String instances = FleetFaults.takeInstances(faultMembers, prefix + "fault.");
			steps.add(new Step(at, fault(faultMembers, prefix + "fault."), instances));
		}
		List<Check> hypothesis = checks(members, "hypothesis", checks);
		Duration recoverWithin = duration(members, "recoverWithin", "", ExperimentDefinition.DEFAULT_RECOVER_WITHIN);
		List<Check> guards = checks(members, "guards", checks);
		return new ExperimentDefinition(name, steps, hypothesis, recoverWithin, guards);
	}

	@SuppressWarnings("unchecked")
	private static FaultSpec fault(Map<?, ?> fault, String prefix) {
		try {
			return FaultRequest.fromJson((Map<String, @Nullable Object>) fault).toSpec();
		}
		catch (InvalidFaultException ex) {
			throw new InvalidFaultException(prefix + ex.getField(), ex.getReason());
		}
	}

	private static List<Check> checks(Map<String, @Nullable Object> members, String field, Checks checks) {
		List<Check> result = new ArrayList<>();
		List<Map<String, @Nullable Object>> all = objects(members, field);
		for (int i = 0; i < all.size(); i++) {
			String prefix = field + "[" + i + "].";
			Map<String, @Nullable Object> check = all.get(i);
			if (check.containsKey("health")) {
				known(check, HEALTH_FIELDS, prefix);
				result.add(
						checks.health(prefix + "health", text(check, "health", prefix), text(check, "status", prefix)));
			}
			else if (check.containsKey("meter")) {
				known(check, METER_FIELDS, prefix);
				result.add(checks.meter(prefix + "meter", text(check, "meter", prefix), tags(check, prefix),
						number(check, "max", prefix), duration(check, "window", prefix, MeterCheck.DEFAULT_WINDOW)));
			}
			else {
				throw new InvalidFaultException(prefix.substring(0, prefix.length() - 1),
						"must be {\"health\": …, \"status\": …} or {\"meter\": …, \"max\": …}");
			}
		}
		return result;
	}

	private static void known(Map<String, @Nullable Object> members, List<String> known, String prefix) {
		for (String name : members.keySet()) {
			if (!known.contains(name)) {
				InvalidFaultException ex = FaultRequest.unknownName(name, known, "unknown field");
				throw new InvalidFaultException(prefix + ex.getField(), ex.getReason());
			}
		}
	}

	private static String text(Map<String, @Nullable Object> members, String field, String prefix) {
		if (!(members.get(field) instanceof String text) || text.isBlank()) {
			throw new InvalidFaultException(prefix + field, "is required: a string");
		}
		return text;
	}

	private static double number(Map<String, @Nullable Object> members, String field, String prefix) {
		if (!(members.get(field) instanceof JsonNumber number)) {
			throw new InvalidFaultException(prefix + field, "is required: a JSON number");
		}
		return Double.parseDouble(number.text());
	}

	private static Duration duration(Map<String, @Nullable Object> members, String field, String prefix,
			Duration absent) {
		Object value = members.get(field);
		if (value == null) {
			return absent;
		}
		try {
			if (value instanceof String text && !text.chars().allMatch(Character::isDigit)) {
				Duration duration = DurationStyle.detectAndParse(text);
				if (!duration.isNegative()) {
					return duration;
				}
			}
		}
		catch (IllegalArgumentException ex) {
			// refused below
		}
		throw new InvalidFaultException(prefix + field,
				"must be a duration with a unit, such as \"10s\", was " + JsonBody.describe(value));
	}

	private static Map<String, String> tags(Map<String, @Nullable Object> members, String prefix) {
		Object value = members.get("tags");
		if (value == null) {
			return Map.of();
		}
		Map<String, String> tags = new LinkedHashMap<>();
		if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> tag : map.entrySet()) {
				if (!(tag.getValue() instanceof String text)) {
					throw new InvalidFaultException(prefix + "tags." + tag.getKey(), "must be a string");
				}
				tags.put((String) tag.getKey(), text);
			}
			return tags;
		}
		throw new InvalidFaultException(prefix + "tags", "must be a JSON object of strings");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, @Nullable Object>> objects(Map<String, @Nullable Object> members, String field) {
		Object value = members.get(field);
		if (value == null) {
			return List.of();
		}
		if (!(value instanceof List<?> list)) {
			throw new InvalidFaultException(field, "must be a JSON array, was " + JsonBody.describe(value));
		}
		for (int i = 0; i < list.size(); i++) {
			if (!(list.get(i) instanceof Map)) {
				throw new InvalidFaultException(field + "[" + i + "]",
						"must be a JSON object, was " + JsonBody.describe(list.get(i)));
			}
		}
		return (List<Map<String, @Nullable Object>>) list;
	}

	/**
	 * Makes the checks an experiment names, refusing what does not exist.
	 */
	public interface Checks {

		/**
		 * Make a health check.
		 * @param field the field, named when the health is unknown
		 * @param health the component or group
		 * @param status the status it must have
		 * @return the check
		 */
		Check health(String field, String health, String status);

		/**
		 * Make a meter check.
		 * @param field the field, named when the meter is unknown
		 * @param meter the meter's name
		 * @param tags the tags the meters must have
		 * @param max the most the value may be
		 * @param window the window of a rate
		 * @return the check
		 */
		Check meter(String field, String meter, Map<String, String> tags, double max, Duration window);

	}

}
