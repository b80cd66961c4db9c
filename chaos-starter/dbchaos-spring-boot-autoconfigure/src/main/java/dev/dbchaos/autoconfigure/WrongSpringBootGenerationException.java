package dev.dbchaos.autoconfigure;

/**
 * Thrown at start-up when a dbchaos starter runs on a Spring Boot generation it was not
 * built for.
 *
 * @since 0.1.0
 */
public class WrongSpringBootGenerationException extends IllegalStateException {

	private final String starter;

	private final int supportedGeneration;

	private final String runningVersion;

	/**
	 * Create an exception.
	 * @param starter the starter's artifact ID
	 * @param supportedGeneration the Spring Boot major version the starter supports
	 * @param runningVersion the Spring Boot version the application runs
	 */
	public WrongSpringBootGenerationException(String starter, int supportedGeneration, String runningVersion) {
		super(starter + " supports Spring Boot " + supportedGeneration + ".x, but this application runs Spring Boot "
				+ runningVersion + "; use " + starterFor(runningVersion) + " instead");
		this.starter = starter;
		this.supportedGeneration = supportedGeneration;
		this.runningVersion = runningVersion;
	}

	/**
	 * Return the artifact ID of the starter on the class path.
	 * @return the starter
	 */
	public String getStarter() {
		return this.starter;
	}

	/**
	 * Return the Spring Boot major version the starter supports.
	 * @return the generation
	 */
	public int getSupportedGeneration() {
		return this.supportedGeneration;
	}

	/**
	 * Return the Spring Boot version the application runs.
	 * @return the version
	 */
	public String getRunningVersion() {
		return this.runningVersion;
	}

	/**
	 * Return the artifact ID of the starter for the running Spring Boot.
	 * @return the starter to use instead
	 */
	public String getStarterToUse() {
		return starterFor(this.runningVersion);
	}

	private static String starterFor(String version) {
		return "dbchaos-spring-boot" + SpringBootGenerationCheck.majorOf(version) + "-starter";
	}

}
