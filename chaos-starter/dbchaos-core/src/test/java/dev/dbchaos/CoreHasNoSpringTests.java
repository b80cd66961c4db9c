package dev.dbchaos;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.dbchaos.jdbc.ChaosDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dbchaos-core} is plain Java: no class of it refers to Spring. A class file names
 * every class it uses in its constant pool, so a reference to Spring anywhere in the
 * core's bytecode would show there as {@code org/springframework}.
 */
class CoreHasNoSpringTests {

	@Test
	void noCoreClassRefersToSpring() throws IOException, URISyntaxException {
		Path classes = Path.of(ChaosDataSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		List<Path> classFiles;
		try (Stream<Path> files = Files.walk(classes)) {
			classFiles = files.filter((file) -> file.toString().endsWith(".class")).toList();
		}
		assertThat(classFiles).as("the core's classes in %s", classes).hasSizeGreaterThan(20);
		assertThat(classFiles)
			.allSatisfy((file) -> assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
				.as(classes.relativize(file).toString())
				.doesNotContain("org/springframework"));
	}

	@Test
	void theCheckSeesAReferenceToSpringWhereThereIsOne() throws IOException {
		// Spring's own JdbcTemplate (on the tests' class path only) refers to Spring
		// everywhere.
		try (var bytes = getClass().getResourceAsStream("/org/springframework/jdbc/core/JdbcTemplate.class")) {
			assertThat(new String(bytes.readAllBytes(), StandardCharsets.ISO_8859_1)).contains("org/springframework");
		}
	}

}
