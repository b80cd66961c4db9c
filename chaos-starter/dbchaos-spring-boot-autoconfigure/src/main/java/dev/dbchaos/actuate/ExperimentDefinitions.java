package dev.dbchaos.actuate;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.util.ClassUtils;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import dev.dbchaos.actuate.JsonBody.JsonNumber;
import dev.dbchaos.experiment.Check;
import dev.dbchaos.experiment.ExperimentDefinition;
import dev.dbchaos.experiment.Observation;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * Experiments kept as files in the application ({@code dbchaos.experiments.location}),
 * started by name with {@code {"definition": "failover-drill"}}. A definition's name is
 * its file's name without the extension: {@code failover-drill.yaml} (or {@code .yml},
 * {@code .json}) is {@code failover-drill}. A file holds exactly what would be posted;
 * its {@code name} may be left out, and is then the definition's name.
 * <p>
 * A file is read into the same values as a posted body (a YAML file into strings,
 * numbers, booleans, lists and maps, as the JSON would be) and then by
 * {@link ExperimentRequest}, like a posted experiment. Every file is read when the
 * application starts, and a broken one stops it
 * ({@link InvalidExperimentDefinitionException}). Whether the meters and health
 * components a check names exist is only known once the application runs (Spring MVC
 * registers {@code http.server.requests} at its first request), so that is checked when
 * the definition is started, which then answers 400 naming the field, as for a posted
 * experiment.
 *
 * @since 0.1.0
 */
public final class ExperimentDefinitions {

	/**
	 * The field of a posted body that starts a definition by name.
	 */
	public static final String FIELD = "definition";

	private static final List<String> EXTENSIONS = List.of("json", "yaml", "yml");

	private static final boolean YAML_PRESENT = ClassUtils.isPresent("org.yaml.snakeyaml.Yaml",
			ExperimentDefinitions.class.getClassLoader());

	// Checks that accept every name: at start-up only the files' structure is checked.
	private static final ExperimentRequest.Checks ANY_CHECK = new ExperimentRequest.Checks() {

		@Override
		public Check health(String field, String health, String status) {
			return Unchecked.INSTANCE;
		}

		@Override
		public Check meter(String field, String meter, Map<String, String> tags, double max, Duration window) {
			return Unchecked.INSTANCE;
		}

	};

	private final String location;

	private final Map<String, Definition> definitions;

	private ExperimentDefinitions(String location, Map<String, Definition> definitions) {
		this.location = location;
		this.definitions = definitions;
	}

	/**
	 * No definitions.
	 * @return definitions that know no name
	 */
	public static ExperimentDefinitions none() {
		return new ExperimentDefinitions("", Map.of());
	}

	/**
	 * Read and check every definition file at a location.
	 * @param resources finds the files
	 * @param location a Spring resource location of a directory, such as
	 * {@code classpath:dbchaos/experiments/}
	 * @return the definitions, by name
	 * @throws InvalidExperimentDefinitionException naming the first broken file, its
	 * field and the reason
	 */
	public static ExperimentDefinitions load(ResourcePatternResolver resources, String location) {
		String directory = location.endsWith("/") ? location : location + "/";
		Map<String, Definition> definitions = new TreeMap<>();
		for (String extension : EXTENSIONS) {
			for (Resource resource : find(resources, directory + "*." + extension)) {
				String fileName = resource.getFilename();
				String file = resource.getDescription();
				String name = fileName.substring(0, fileName.length() - extension.length() - 1);
				Definition earlier = definitions.get(name);
				if (earlier != null) {
					throw new InvalidExperimentDefinitionException(file, "body",
							"defines '" + name + "' again: " + earlier.file() + " already does");
				}
				Map<String, @Nullable Object> members = read(resource, extension, file);
				members.putIfAbsent("name", name);
				Definition definition = new Definition(name, file, members);
				try {
					ExperimentRequest.parse(definition.members(), ANY_CHECK);
				}
				catch (InvalidFaultException ex) {
					throw new InvalidExperimentDefinitionException(file, ex.getField(), ex.getReason());
				}
				definitions.put(name, definition);
			}
		}
		return new ExperimentDefinitions(directory, definitions);
	}

	/**
	 * Read a definition, checking the meters and health its checks name.
	 * @param name the definition's name
	 * @param checks makes the checks it names
	 * @return the experiment to start
	 * @throws InvalidFaultException naming {@code definition} when no definition has that
	 * name (listing the known ones), or the definition's field whose meter or health does
	 * not exist
	 */
	public ExperimentDefinition definition(String name, ExperimentRequest.Checks checks) {
		Definition definition = this.definitions.get(name);
		if (definition == null) {
			throw new InvalidFaultException(FIELD,
					"no experiment definition is named '" + FaultRequest.abbreviate(name) + "'; "
							+ (this.definitions.isEmpty() ? "there are none" : "known: " + names())
							+ (this.location.isEmpty() ? "" : " (from " + this.location + ")"));
		}
		try {
			return ExperimentRequest.parse(definition.members(), checks);
		}
		catch (InvalidFaultException ex) {
			throw new InvalidFaultException(ex.getField(),
					ex.getReason() + " (in definition '" + name + "', " + definition.file() + ")");
		}
	}

	/**
	 * Describe the known definitions, for {@code GET …/experiments/definitions}.
	 * @return the location and each definition
	 */
	public DefinitionsDescriptor describe() {
		return new DefinitionsDescriptor(this.location,
				this.definitions.values()
					.stream()
					.map((definition) -> new DefinitionDescriptor(definition.name(),
							(String) definition.members().get("name"), definition.file()))
					.toList());
	}

	/**
	 * Return the names of the known definitions.
	 * @return them, sorted
	 */
	public List<String> names() {
		return List.copyOf(this.definitions.keySet());
	}

	private static List<Resource> find(ResourcePatternResolver resources, String pattern) {
		try {
			List<Resource> found = new ArrayList<>(Arrays.asList(resources.getResources(pattern)));
			found.removeIf((resource) -> !resource.isReadable() || resource.getFilename() == null);
			return found;
		}
		catch (FileNotFoundException ex) {
			// No such directory: an application that keeps no experiments as files.
			return List.of();
		}
		catch (IOException ex) {
			throw new InvalidExperimentDefinitionException(pattern, "body", "cannot be listed: " + ex.getMessage());
		}
	}

	private static Map<String, @Nullable Object> read(Resource resource, String extension, String file) {
		byte[] bytes;
		try (InputStream in = resource.getInputStream()) {
			bytes = in.readAllBytes();
		}
		catch (IOException ex) {
			throw new InvalidExperimentDefinitionException(file, "body", "cannot be read: " + ex.getMessage());
		}
		if (!"json".equals(extension) && !YAML_PRESENT) {
			throw new InvalidExperimentDefinitionException(file, "body", "is YAML, but SnakeYAML "
					+ "(org.yaml:snakeyaml) is not on the class path: add it, or write the definition as JSON");
		}
		try {
			// YamlFile is only loaded when a YAML file is read, so SnakeYAML stays
			// optional.
			return "json".equals(extension) ? new LinkedHashMap<>(JsonBody.parseObject(bytes)) : YamlFile.read(bytes);
		}
		catch (InvalidFaultException ex) {
			throw new InvalidExperimentDefinitionException(file, ex.getField(), ex.getReason());
		}
	}

	private record Definition(String name, String file, Map<String, @Nullable Object> members) {

	}

	/**
	 * The known definitions.
	 *
	 * @param location where they were read from
	 * @param definitions each, sorted by name
	 */
	public record DefinitionsDescriptor(String location, List<DefinitionDescriptor> definitions) {

	}

	/**
	 * A known definition.
	 *
	 * @param definition its name, to post as {@code {"definition": …}}
	 * @param name the name of the experiment it starts
	 * @param file the file it was read from
	 */
	public record DefinitionDescriptor(String definition, @Nullable String name, String file) {

	}

	private enum Unchecked implements Check {

		INSTANCE;

		@Override
		public String description() {
			return "unchecked";
		}

		@Override
		public String observed() {
			return "unchecked";
		}

		@Override
		public Observation observe() {
			return new Observation(true, 0);
		}

	}

	/**
	 * Reads a YAML file into the values {@link JsonBody} reads from JSON, so that what
	 * follows does not know which it was.
	 */
	private static final class YamlFile {

		static Map<String, @Nullable Object> read(byte[] bytes) {
			LoaderOptions options = new LoaderOptions();
			// Like a posted body: a field given twice is refused, not overwritten.
			options.setAllowDuplicateKeys(false);
			Object document;
			try {
				document = new Yaml(new SafeConstructor(options)).load(new String(bytes, StandardCharsets.UTF_8));
			}
			catch (YAMLException ex) {
				throw new InvalidFaultException("body",
						"is not valid YAML: " + ex.getMessage().lines().findFirst().orElse(""));
			}
			if (!(document instanceof Map<?, ?>)) {
				throw new InvalidFaultException("body", "must be a YAML mapping of the experiment's fields, was "
						+ JsonBody.describe(asJson(document, "body")));
			}
			@SuppressWarnings("unchecked")
			Map<String, @Nullable Object> members = (Map<String, @Nullable Object>) asJson(document, "");
			return members;
		}

		private static @Nullable Object asJson(@Nullable Object value, String path) {
			if (value == null || value instanceof String || value instanceof Boolean) {
				return value;
			}
			if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
				return new JsonNumber(value.toString());
			}
			if (value instanceof Double number && Double.isFinite(number)) {
				return new JsonNumber(BigDecimal.valueOf(number).toPlainString());
			}
			if (value instanceof List<?> list) {
				List<@Nullable Object> items = new ArrayList<>();
				for (int i = 0; i < list.size(); i++) {
					items.add(asJson(list.get(i), path + "[" + i + "]"));
				}
				return items;
			}
			if (value instanceof Map<?, ?> map) {
				Map<String, @Nullable Object> members = new LinkedHashMap<>();
				for (Map.Entry<?, ?> member : map.entrySet()) {
					if (!(member.getKey() instanceof String key)) {
						throw new InvalidFaultException(path.isEmpty() ? "body" : path,
								"has a key that is not a string: " + member.getKey());
					}
					members.put(key, asJson(member.getValue(), path.isEmpty() ? key : path + "." + key));
				}
				return members;
			}
			throw new InvalidFaultException(path.isEmpty() ? "body" : path,
					"must be a string, number, boolean, list or mapping, was " + value.getClass().getSimpleName()
							+ " (quote it)");
		}

	}

}
