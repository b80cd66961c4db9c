package dev.dbchaos.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link SpringBootGenerationCheck} and
 * {@link WrongSpringBootGenerationFailureAnalyzer}.
 */
class SpringBootGenerationCheckTests {

	private static final ClassLoader LOADER = SpringBootGenerationCheckTests.class.getClassLoader();

	private final SpringBootGenerationCheck boot3Starter = new SpringBootGenerationCheck(3,
			"dbchaos-spring-boot3-starter") {
	};

	private final SpringBootGenerationCheck boot4Starter = new SpringBootGenerationCheck(4,
			"dbchaos-spring-boot4-starter") {
	};

	@Test
	void eachStarterAcceptsItsOwnGeneration() {
		assertThatNoException().isThrownBy(() -> this.boot3Starter.check("3.5.16", LOADER));
		assertThatNoException().isThrownBy(() -> this.boot4Starter.check("4.0.7", LOADER));
		assertThatNoException().isThrownBy(() -> this.boot4Starter.check("4.1.2", LOADER));
	}

	@Test
	void boot3StarterOnBoot4NamesTheBoot4Starter() {
		assertThatExceptionOfType(WrongSpringBootGenerationException.class)
			.isThrownBy(() -> this.boot3Starter.check("4.1.2", LOADER))
			.withMessage("dbchaos-spring-boot3-starter supports Spring Boot 3.x, but this application runs Spring Boot "
					+ "4.1.2; use dbchaos-spring-boot4-starter instead");
	}

	@Test
	void boot4StarterOnBoot3NamesTheBoot3Starter() {
		assertThatExceptionOfType(WrongSpringBootGenerationException.class)
			.isThrownBy(() -> this.boot4Starter.check("3.5.16", LOADER))
			.satisfies((ex) -> assertThat(ex.getStarterToUse()).isEqualTo("dbchaos-spring-boot3-starter"));
	}

	@Test
	void withoutAVersionTheGenerationIsToldByWhereSpringBootKeepsDataSourceAutoConfiguration() {
		int running = Integer.parseInt(SpringBootVersion.getVersion().substring(0, 1));
		SpringBootGenerationCheck own = (running == 3) ? this.boot3Starter : this.boot4Starter;
		SpringBootGenerationCheck other = (running == 3) ? this.boot4Starter : this.boot3Starter;
		assertThatNoException().isThrownBy(() -> own.check(null, LOADER));
		assertThatExceptionOfType(WrongSpringBootGenerationException.class).isThrownBy(() -> other.check(null, LOADER))
			.satisfies((ex) -> assertThat(ex.getRunningVersion()).isEqualTo(running + ".x"));
	}

	@Test
	void withoutAVersionOrSpringBoot3sClassesItIsSpringBoot4() throws IOException {
		try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
			assertThatNoException().isThrownBy(() -> this.boot4Starter.check(null, empty));
		}
	}

	@Test
	void failureReportNamesTheStarterTheVersionAndTheDependencyToUse() {
		FailureAnalysis analysis = new WrongSpringBootGenerationFailureAnalyzer()
			.analyze(new WrongSpringBootGenerationException("dbchaos-spring-boot3-starter", 3, "4.1.2"));
		assertThat(analysis.getDescription()).isEqualTo(
				"dev.dbchaos:dbchaos-spring-boot3-starter supports Spring Boot 3.x, but this application runs Spring Boot 4.1.2.");
		assertThat(analysis.getAction())
			.isEqualTo("Replace the dependency dev.dbchaos:dbchaos-spring-boot3-starter with "
					+ "dev.dbchaos:dbchaos-spring-boot4-starter (same version): each Spring Boot generation has a starter of its own.");
	}

}
