package dev.dbchaos.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.dbchaos.autoconfigure.WrongSpringBootGenerationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Spring Boot 4 starter by mistake in a Spring Boot 3 application: the start fails at
 * once, before any auto-configuration is loaded, with a report that names the starter to
 * use, never a {@code ClassNotFoundException}. Runs in an execution of its own
 * ({@code wrong-spring-boot-generation}): only there is the other starter's jar on the
 * class path.
 */
@ExtendWith(OutputCaptureExtension.class)
class Boot4StarterOnSpringBoot3Tests {

	@Test
	void startFailsWithAReportNamingTheStarterToUse(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatExceptionOfType(WrongSpringBootGenerationException.class)
			.isThrownBy(() -> application.run("--dbchaos.enabled=true"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("dev.dbchaos:dbchaos-spring-boot4-starter supports Spring Boot 4.x, but this application runs "
					+ "Spring Boot " + SpringBootVersion.getVersion() + ".")
			.contains("Replace the dependency dev.dbchaos:dbchaos-spring-boot4-starter with "
					+ "dev.dbchaos:dbchaos-spring-boot3-starter (same version)")
			.doesNotContain("ClassNotFoundException")
			.doesNotContain("NoClassDefFoundError");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
