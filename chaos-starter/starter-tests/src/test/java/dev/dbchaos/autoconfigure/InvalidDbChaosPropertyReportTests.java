package dev.dbchaos.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests that a bad {@code dbchaos.*} property stops an application at start-up with
 * Spring Boot's failure report, naming the property, its value, what is wrong and where
 * it was set.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidDbChaosPropertyReportTests {

	@TempDir
	Path config;

	@Test
	void invalidValueInAConfiguredFaultIsReportedWithThePropertyItsValueTheReasonAndWhereItWasSet(CapturedOutput output)
			throws IOException {
		Path file = write("dbchaos.enabled=true\ndbchaos.faults[0].type=outage\ndbchaos.faults[0].probability=1.5\n");
		assertThatException().isThrownBy(() -> start(file));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '1.5' for configuration property 'dbchaos.faults[0].probability'")
			.contains("must be between 0 and 1, was 1.5")
			.containsPattern(
					"originating from '[^']*" + Pattern.quote(file.getFileName().toString()) + "[^']* - 3:\\d+'");
	}

	@Test
	void unknownKeyInAConfiguredFaultIsReportedWithThePropertyAndWhereItWasSet(CapturedOutput output)
			throws IOException {
		Path file = write("dbchaos.enabled=true\ndbchaos.faults[0].type=outage\ndbchaos.faults[0].scpoe=t-1\n");
		assertThatException().isThrownBy(() -> start(file));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: dbchaos.faults[0].scpoe")
			.contains("Value: \"t-1\"")
			.containsPattern("Origin: .*" + Pattern.quote(file.getFileName().toString()) + ".* - 3:\\d+")
			.contains("The elements [dbchaos.faults[0].scpoe] were left unbound");
	}

	private Path write(String properties) throws IOException {
		return Files.writeString(this.config.resolve("dbchaos-test.properties"), properties);
	}

	private static void start(Path file) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run("--spring.config.location=file:" + file.toAbsolutePath(), "--spring.main.banner-mode=off");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DbChaosAutoConfiguration.class)
	static class TestApplication {

	}

}
