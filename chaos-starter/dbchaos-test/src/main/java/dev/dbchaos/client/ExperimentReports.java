package dev.dbchaos.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.experiment.ExperimentReport.AbortedBy;
import dev.dbchaos.experiment.ExperimentReport.CheckReport;
import dev.dbchaos.experiment.ExperimentReport.CheckResult;
import dev.dbchaos.experiment.ExperimentReport.Sample;
import dev.dbchaos.experiment.ExperimentReport.StepReport;

/**
 * Reads an experiment's report as the endpoint answers it back into the
 * {@link ExperimentReport} the service made: times as instants, observed numbers as
 * {@link Double}, statuses as strings.
 */
final class ExperimentReports {

	private ExperimentReports() {
	}

	static ExperimentReport read(String json) {
		if (!(Json.parse(json) instanceof Map<?, ?> report)) {
			throw new IllegalArgumentException("Not an experiment's report: " + json);
		}
		return report(report);
	}

	private static ExperimentReport report(Map<?, ?> report) {
		return new ExperimentReport(text(report, "id"), text(report, "name"), text(report, "state"),
				optionalText(report, "verdict"), instant(report, "startedAt"), optionalInstant(report, "endedAt"),
				abortedBy(report.get("abortedBy")),
				objects(report, "steps").stream().map(ExperimentReports::step).toList(),
				objects(report, "checks").stream().map(ExperimentReports::check).toList(),
				objects(report, "samples").stream().map(ExperimentReports::sample).toList());
	}

	private static StepReport step(Map<?, ?> step) {
		return new StepReport(text(step, "at"), text(step, "type"), optionalText(step, "faultId"),
				optionalInstant(step, "startedAt"), optionalInstant(step, "endedAt"), optionalText(step, "error"));
	}

	private static CheckReport check(Map<?, ?> check) {
		return new CheckReport(text(check, "role"), text(check, "check"), number(check, "evaluations").intValue(),
				number(check, "failures").intValue(), result(check.get("first")), result(check.get("last")),
				result(check.get("firstFailure")));
	}

	private static @Nullable CheckResult result(@Nullable Object result) {
		if (!(result instanceof Map<?, ?> members)) {
			return null;
		}
		Object value = members.get("value");
		if (value == null) {
			throw new IllegalArgumentException("A check's result without a value: " + members);
		}
		return new CheckResult(instant(members, "at"), Boolean.TRUE.equals(members.get("holds")), value);
	}

	private static Sample sample(Map<?, ?> sample) {
		Map<String, Object> values = new LinkedHashMap<>();
		if (sample.get("values") instanceof Map<?, ?> members) {
			members.forEach((name, value) -> values.put(String.valueOf(name), value));
		}
		return new Sample(instant(sample, "at"), values);
	}

	private static @Nullable AbortedBy abortedBy(@Nullable Object abortedBy) {
		if (!(abortedBy instanceof Map<?, ?> members)) {
			return null;
		}
		return new AbortedBy(text(members, "reason"), optionalText(members, "check"), members.get("observed"),
				optionalText(members, "operator"), text(members, "message"));
	}

	private static String text(Map<?, ?> members, String name) {
		String text = optionalText(members, name);
		if (text == null) {
			throw new IllegalArgumentException("An experiment's report without " + name + ": " + members);
		}
		return text;
	}

	private static @Nullable String optionalText(Map<?, ?> members, String name) {
		Object value = members.get(name);
		return (value != null) ? String.valueOf(value) : null;
	}

	private static Number number(Map<?, ?> members, String name) {
		if (!(members.get(name) instanceof Number number)) {
			throw new IllegalArgumentException("An experiment's report without " + name + ": " + members);
		}
		return number;
	}

	private static Instant instant(Map<?, ?> members, String name) {
		return Instant.parse(text(members, name));
	}

	private static @Nullable Instant optionalInstant(Map<?, ?> members, String name) {
		String text = optionalText(members, name);
		return (text != null) ? Instant.parse(text) : null;
	}

	private static List<Map<?, ?>> objects(Map<?, ?> members, String name) {
		if (!(members.get(name) instanceof List<?> list)) {
			return List.of();
		}
		return list.stream().filter(Map.class::isInstance).<Map<?, ?>>map(Map.class::cast).toList();
	}

}
