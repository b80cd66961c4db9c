package dev.dbchaos.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Stops an application whose dbchaos starter was built for another Spring Boot
 * generation, before any auto-configuration is loaded, so that it fails with a report
 * naming the starter to use ({@link WrongSpringBootGenerationFailureAnalyzer}) rather
 * than a {@code ClassNotFoundException} for a class Spring Boot moved. Each starter
 * registers its own subclass in {@code META-INF/spring.factories}; this class uses only
 * API that every generation has in the same place.
 *
 * @since 0.1.0
 */
public abstract class SpringBootGenerationCheck
		implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** Only in Spring Boot 3 and earlier: Spring Boot 4 moved it to its JDBC module. */
	private static final String BOOT3_ONLY_CLASS = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration";

	private final int generation;

	private final String starter;

	/**
	 * Create a check for a starter.
	 * @param generation the Spring Boot major version the starter is built for
	 * @param starter the starter's artifact ID
	 */
	protected SpringBootGenerationCheck(int generation, String starter) {
		this.generation = generation;
		this.starter = starter;
	}

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		check(SpringBootVersion.getVersion(), getClass().getClassLoader());
	}

	/**
	 * Fail unless the running Spring Boot is of this starter's generation.
	 * @param runningVersion the running Spring Boot's version, or {@code null} where it
	 * is not known (a repackaged jar without manifest entries, say)
	 * @param classLoader where to look for Spring Boot's classes when the version is not
	 * known
	 * @throws WrongSpringBootGenerationException if it is of another generation
	 */
	void check(@Nullable String runningVersion, ClassLoader classLoader) {
		int running = generationOf(runningVersion, classLoader);
		if (running != this.generation) {
			throw new WrongSpringBootGenerationException(this.starter, this.generation,
					(runningVersion != null) ? runningVersion : running + ".x");
		}
	}

	private static int generationOf(@Nullable String version, ClassLoader classLoader) {
		if (version != null && version.matches("\\d+\\..*")) {
			return majorOf(version);
		}
		return ClassUtils.isPresent(BOOT3_ONLY_CLASS, classLoader) ? 3 : 4;
	}

	/**
	 * The major version of a Spring Boot version such as {@code 4.1.2} or {@code 4.x}.
	 * @param version the version, starting with digits and a dot
	 * @return its major version
	 */
	static int majorOf(String version) {
		return Integer.parseInt(version.substring(0, version.indexOf('.')));
	}

}
