package dev.dbchaos.it.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboard JSON, read as Grafana reads it: the PromQL of every panel target
 * and of every Prometheus annotation, and the dashboard's template variables.
 */
final class Dashboard {

	/** Title given to annotation queries, which belong to no panel. */
	static final String ANNOTATION = "annotation";

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

	private final JsonNode json;

	private Dashboard(JsonNode json) {
		this.json = json;
	}

	static Dashboard read(Path file) {
		try {
			return new Dashboard(new ObjectMapper().readTree(file.toFile()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Every Prometheus target of every panel, rows' collapsed panels included, in
	 * dashboard order.
	 */
	List<Query> panelQueries() {
		List<Query> queries = new ArrayList<>();
		collectPanelQueries(this.json.path("panels"), queries);
		return queries;
	}

	private static void collectPanelQueries(JsonNode panels, List<Query> queries) {
		for (JsonNode panel : panels) {
			for (JsonNode target : panel.path("targets")) {
				if (target.hasNonNull("expr")) {
					queries.add(new Query(panel.path("title").asText(), target.path("refId").asText(),
							target.path("expr").asText(), target.path("legendFormat").asText()));
				}
			}
			collectPanelQueries(panel.path("panels"), queries);
		}
	}

	/**
	 * The queries of the annotations backed by Prometheus (Grafana's built-in one has
	 * none).
	 */
	List<Query> annotationQueries() {
		List<Query> queries = new ArrayList<>();
		for (JsonNode annotation : this.json.path("annotations").path("list")) {
			String expr = annotation.hasNonNull("expr") ? annotation.path("expr").asText()
					: annotation.path("target").path("expr").asText(null);
			if (expr != null) {
				queries.add(new Query(ANNOTATION, annotation.path("name").asText(), expr,
						annotation.path("titleFormat").asText()));
			}
		}
		return queries;
	}

	/**
	 * The query variables, name to Grafana's {@code label_values(selector, label)}
	 * definition.
	 */
	Map<String, String> queryVariables() {
		Map<String, String> variables = new LinkedHashMap<>();
		for (JsonNode variable : this.json.path("templating").path("list")) {
			if ("query".equals(variable.path("type").asText())) {
				JsonNode query = variable.path("query");
				variables.put(variable.path("name").asText(),
						query.isTextual() ? query.asText() : query.path("query").asText());
			}
		}
		return variables;
	}

	/** The names of all template variables, data source included. */
	List<String> variableNames() {
		List<String> names = new ArrayList<>();
		this.json.path("templating").path("list").forEach((variable) -> names.add(variable.path("name").asText()));
		return names;
	}

	/**
	 * The PromQL a {@code label_values(selector, label)} variable stands for: Grafana
	 * asks Prometheus for the values of {@code label} among the series of
	 * {@code selector}, which is what {@code group by (label) (selector)} returns.
	 */
	static String labelValuesAsPromQl(String definition) {
		Matcher matcher = LABEL_VALUES.matcher(definition.trim());
		if (!matcher.matches()) {
			throw new IllegalArgumentException("Not label_values(selector, label): " + definition);
		}
		return "group by (" + matcher.group(2) + ") (" + matcher.group(1) + ")";
	}

	/**
	 * Replace {@code $name} and {@code ${name}} as Grafana does before sending a query.
	 * @throws IllegalArgumentException if the expression uses a variable without a value
	 */
	static String substitute(String expression, Map<String, String> values) {
		StringBuilder result = new StringBuilder();
		Matcher matcher = VARIABLE.matcher(expression);
		while (matcher.find()) {
			String name = matcher.group(1);
			String value = values.get(name);
			if (value == null) {
				throw new IllegalArgumentException("No value for $" + name + " in " + expression);
			}
			matcher.appendReplacement(result, Matcher.quoteReplacement(value));
		}
		matcher.appendTail(result);
		return result.toString();
	}

	/**
	 * One PromQL expression of the dashboard.
	 *
	 * @param panel the panel's title, or {@link #ANNOTATION}
	 * @param refId the target's refId, or the annotation's name
	 * @param expr the expression, with Grafana variables
	 * @param legendFormat how Grafana names its series ({@code {{label}}} placeholders)
	 */
	record Query(String panel, String refId, String expr, String legendFormat) {

		/** The name Grafana would give a series of this query. */
		String legend(Series series) {
			String legend = this.legendFormat;
			for (Map.Entry<String, String> label : series.labels().entrySet()) {
				legend = legend.replace("{{" + label.getKey() + "}}", label.getValue());
			}
			return legend.replaceAll("\\{\\{\\w+}}", "").trim();
		}

		@Override
		public String toString() {
			return this.panel + " [" + this.refId + "]";
		}

	}

}
