package dev.dbchaos.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.dbchaos.actuate.ExperimentDefinitions;
import dev.dbchaos.actuate.ExperimentOperations;
import dev.dbchaos.actuate.InvalidExperimentDefinitionException;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DbChaosExperimentsAutoConfiguration}'s experiment definition files.
 */
class DbChaosExperimentsAutoConfigurationTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	@TempDir
	Path directory;

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class,
				DbChaosEndpointAutoConfiguration.class, DbChaosExperimentsAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + postgres.jdbcUrl(), "dbchaos.enabled=true",
				"management.endpoints.web.exposure.include=dbchaos");

	@Test
	void theDefinitionsAtTheConfiguredLocationAreKnownByTheirFileNames() throws IOException {
		Files.writeString(this.directory.resolve("short-outage.json"),
				"{\"steps\": [{\"fault\": {\"type\": \"outage\", \"duration\": \"1s\"}}]}");
		this.contextRunner.withPropertyValues("dbchaos.experiments.location=" + this.directory.toUri())
			.run((context) -> assertThat(context.getBean(ExperimentOperations.class).definitions().definitions())
				.extracting(ExperimentDefinitions.DefinitionDescriptor::definition)
				.containsExactly("short-outage"));
	}

	@Test
	void theDefaultLocationIsDbChaosExperimentsOnTheClassPath() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(ExperimentOperations.class).definitions().location())
				.isEqualTo("classpath:dbchaos/experiments/"));
	}

	@Test
	void aBrokenDefinitionFileStopsTheStartNamingTheFileTheFieldAndTheReason() throws IOException {
		Files.writeString(this.directory.resolve("broken.yaml"), "steps:\n  - fault: {type: outge}\n");
		this.contextRunner.withPropertyValues("dbchaos.experiments.location=" + this.directory.toUri())
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				FailureAnalysis analysis = new InvalidExperimentDefinitionFailureAnalyzer().analyze(failure);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getCause()).isInstanceOf(InvalidExperimentDefinitionException.class);
				assertThat(analysis.getDescription()).contains("broken.yaml", "'steps[0].fault.type'", "outge");
			});
	}

}
