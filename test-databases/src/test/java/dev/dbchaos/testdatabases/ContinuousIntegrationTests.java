package dev.dbchaos.testdatabases;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ContinuousIntegration}.
 */
class ContinuousIntegrationTests {

	@ParameterizedTest
	@ValueSource(strings = { "true", "TRUE", "1", "yes", "github-actions" })
	void anyValueThatMeansYesCountsAsCi(String value) {
		assertThat(ContinuousIntegration.isCi(value)).isTrue();
	}

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "", " ", "false", "False", "0", "no", "off" })
	void unsetOrAValueThatMeansNoDoesNotCount(String value) {
		assertThat(ContinuousIntegration.isCi(value)).isFalse();
	}

}
