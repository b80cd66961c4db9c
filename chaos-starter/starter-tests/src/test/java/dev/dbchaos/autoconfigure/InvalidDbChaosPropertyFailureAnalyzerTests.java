package dev.dbchaos.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InvalidDbChaosPropertyFailureAnalyzer}.
 */
class InvalidDbChaosPropertyFailureAnalyzerTests {

	@Test
	void analysisNamesThePropertyTheValueAndTheReason() {
		InvalidDbChaosPropertyException failure = new InvalidDbChaosPropertyException("dbchaos.faults[0].probability",
				1.5, "must be between 0 and 1, was 1.5");
		FailureAnalysis analysis = new InvalidDbChaosPropertyFailureAnalyzer()
			.analyze(new IllegalStateException("wrapped", failure));
		assertThat(analysis.getDescription()).contains("Property: dbchaos.faults[0].probability")
			.contains("Value: \"1.5\"")
			.contains("Reason: must be between 0 and 1, was 1.5");
		assertThat(analysis.getAction()).contains("dbchaos.faults[0].probability");
	}

}
