package dev.dbchaos.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidDbChaosPropertyException} into a start-up failure report that names
 * the property, its value and what is wrong with it.
 *
 * @author dbchaos
 */
class InvalidDbChaosPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDbChaosPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidDbChaosPropertyException cause) {
		String description = String.format("Invalid dbchaos configuration:%n%n    Property: %s%n    Value: \"%s\"%n"
				+ "    Reason: %s", cause.getProperty(), cause.getValue(), cause.getReason());
		String action = String.format("Update your application's configuration so that '%s' %s, or remove it.",
				cause.getProperty(), cause.getReason());
		return new FailureAnalysis(description, action, cause);
	}

}
