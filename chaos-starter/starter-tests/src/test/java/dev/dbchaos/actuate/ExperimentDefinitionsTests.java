package dev.dbchaos.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import dev.dbchaos.experiment.Check;
import dev.dbchaos.experiment.ExperimentDefinition;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.InvalidFaultException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ExperimentDefinitions}.
 */
class ExperimentDefinitionsTests {

	private static final String DRILL_YAML = """
			name: checkout survives a failover
			steps:
			  - at: 0s
			    fault: {type: outage, duration: 2s}
			  - at: 2s
			    fault: {type: read-only, duration: 2s}
			hypothesis:
			  - {health: readiness, status: UP}
			  - {meter: http.server.requests, tags: {status: "500"}, max: 0}
			recoverWithin: 10s
			""";

	@TempDir
	Path directory;

	private final ExperimentRequest.Checks checks = new DescribedChecks();

	private void write(String file, String text) throws IOException {
		Files.writeString(this.directory.resolve(file), text);
	}

	private ExperimentDefinitions load() {
		return ExperimentDefinitions.load(new PathMatchingResourcePatternResolver(), this.directory.toUri().toString());
	}

	private void assertBroken(String file, String field) {
		assertThatExceptionOfType(InvalidExperimentDefinitionException.class).isThrownBy(this::load).satisfies((ex) -> {
			assertThat(ex.getFile()).contains(file);
			assertThat(ex.getField()).isEqualTo(field);
		});
	}

	@Test
	void aYamlFileIsReadAsThePostedJsonWouldBeAndNamedByItsFileName() throws IOException {
		write("failover-drill.yaml", DRILL_YAML);
		ExperimentDefinition definition = load().definition("failover-drill", this.checks);
		assertThat(definition.name()).isEqualTo("checkout survives a failover");
		assertThat(definition.steps()).extracting((step) -> step.fault().getType())
			.containsExactly(FaultType.OUTAGE, FaultType.READ_ONLY);
		assertThat(definition.steps().get(1).at()).isEqualTo(Duration.ofSeconds(2));
		assertThat(definition.recoverWithin()).isEqualTo(Duration.ofSeconds(10));
		assertThat(definition.hypothesis()).extracting(Check::description)
			.containsExactly("health readiness is UP", "meter http.server.requests{status=500} <= 0.0 over PT10S");
	}

	@Test
	void aJsonFileWithoutANameIsNamedAfterItsFile() throws IOException {
		write("short-outage.json", "{\"steps\": [{\"fault\": {\"type\": \"outage\", \"duration\": \"1s\"}}]}");
		write("failover-drill.yml", DRILL_YAML);
		ExperimentDefinitions definitions = load();
		assertThat(definitions.names()).containsExactly("failover-drill", "short-outage");
		assertThat(definitions.definition("short-outage", this.checks).name()).isEqualTo("short-outage");
		assertThat(definitions.describe().definitions()).extracting(ExperimentDefinitions.DefinitionDescriptor::name)
			.containsExactly("checkout survives a failover", "short-outage");
	}

	@Test
	void anUnknownNameIsRefusedNamingDefinitionAndListingTheKnownOnes() throws IOException {
		write("failover-drill.yaml", DRILL_YAML);
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> load().definition("failover-dril", this.checks))
			.satisfies((ex) -> {
				assertThat(ex.getField()).isEqualTo("definition");
				assertThat(ex.getReason()).contains("known: [failover-drill]");
			});
	}

	@Test
	void aBrokenFaultInAFileNamesTheFileAndTheFieldPath() throws IOException {
		write("broken.yaml", DRILL_YAML.replace("type: read-only", "type: read-onyl"));
		assertBroken("broken.yaml", "steps[1].fault.type");
	}

	@Test
	void aFileThatIsNotJsonNamesTheBody() throws IOException {
		write("broken.json", "{\"steps\": [");
		assertBroken("broken.json", "body");
	}

	@Test
	void anUnquotedTagValueInYamlIsRefusedAsAPostedNumberWouldBe() throws IOException {
		write("unquoted.yaml", DRILL_YAML.replace("status: \"500\"", "status: 500"));
		assertBroken("unquoted.yaml", "hypothesis[1].tags.status");
	}

	@Test
	void aFieldGivenTwiceInYamlIsRefused() throws IOException {
		write("twice.yaml", DRILL_YAML + "recoverWithin: 20s\n");
		assertBroken("twice.yaml", "body");
	}

	@Test
	void twoFilesOfTheSameNameAreRefused() throws IOException {
		write("failover-drill.yaml", DRILL_YAML);
		write("failover-drill.json", "{\"steps\": [{\"fault\": {\"type\": \"outage\", \"duration\": \"1s\"}}]}");
		assertBroken("failover-drill.", "body");
	}

	@Test
	void anUnknownMeterIsFoundWhenTheDefinitionStartsNamingTheFieldAndTheFile() throws IOException {
		write("drill.yaml", DRILL_YAML.replace("meter: http.server.requests", "meter: nonesuch"));
		ExperimentDefinitions definitions = load();
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> definitions.definition("drill", this.checks))
			.satisfies((ex) -> {
				assertThat(ex.getField()).isEqualTo("hypothesis[1].meter");
				assertThat(ex.getReason()).contains("drill.yaml");
			});
	}

	@Test
	void aLocationWithoutFilesHasNoDefinitions() {
		assertThat(ExperimentDefinitions
			.load(new PathMatchingResourcePatternResolver(), "classpath:dbchaos/no-such-experiments/")
			.names()).isEmpty();
	}

}
