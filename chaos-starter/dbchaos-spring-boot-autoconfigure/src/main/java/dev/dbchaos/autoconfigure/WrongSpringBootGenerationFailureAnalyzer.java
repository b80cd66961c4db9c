package dev.dbchaos.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link WrongSpringBootGenerationException}: which starter is on the class
 * path, which Spring Boot runs, and which starter to depend on instead.
 */
class WrongSpringBootGenerationFailureAnalyzer extends AbstractFailureAnalyzer<WrongSpringBootGenerationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WrongSpringBootGenerationException cause) {
		String description = String.format(
				"dev.dbchaos:%s supports Spring Boot %d.x, but this application runs " + "Spring Boot %s.",
				cause.getStarter(), cause.getSupportedGeneration(), cause.getRunningVersion());
		String action = String.format(
				"Replace the dependency dev.dbchaos:%s with dev.dbchaos:%s (same version): "
						+ "each Spring Boot generation has a starter of its own.",
				cause.getStarter(), cause.getStarterToUse());
		return new FailureAnalysis(description, action, cause);
	}

}
