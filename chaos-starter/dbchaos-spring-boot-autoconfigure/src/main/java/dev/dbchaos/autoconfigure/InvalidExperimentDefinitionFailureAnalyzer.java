package dev.dbchaos.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.dbchaos.actuate.InvalidExperimentDefinitionException;

/**
 * Reports an {@link InvalidExperimentDefinitionException}: which experiment definition
 * file is broken, which field and why.
 */
class InvalidExperimentDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<InvalidExperimentDefinitionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidExperimentDefinitionException cause) {
		String description = String.format("The dbchaos experiment definition %s is invalid: '%s' %s.", cause.getFile(),
				cause.getField(), cause.getReason());
		String action = "Correct the file (it takes exactly what POST /actuator/dbchaos/experiments takes), "
				+ "remove it, or point dbchaos.experiments.location elsewhere.";
		return new FailureAnalysis(description, action, cause);
	}

}
