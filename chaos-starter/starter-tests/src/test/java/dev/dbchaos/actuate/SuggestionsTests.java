package dev.dbchaos.actuate;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.dbchaos.fault.FaultField;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Suggestions}.
 */
class SuggestionsTests {

	private static final List<String> FIELDS = FaultField.names();

	@Test
	void nameThatDiffersOnlyInCaseSuggestsTheKnownOne() {
		assertThat(Suggestions.closest("Scope", FIELDS)).isEqualTo("scope");
		assertThat(Suggestions.closest("SQLSTATE", FIELDS)).isEqualTo("sqlState");
		assertThat(Suggestions.closest(" type ", FIELDS)).isEqualTo("type");
	}

	@Test
	void typoSuggestsTheClosestKnownName() {
		assertThat(Suggestions.closest("scpoe", FIELDS)).isEqualTo("scope");
		assertThat(Suggestions.closest("sql_state", FIELDS)).isEqualTo("sqlState");
		assertThat(Suggestions.closest("durtion", FIELDS)).isEqualTo("duration");
		assertThat(Suggestions.closest("read_only", List.of("outage", "read-only"))).isEqualTo("read-only");
	}

	@Test
	void nothingCloseSuggestsNothing() {
		assertThat(Suggestions.closest("flavour", FIELDS)).isNull();
		assertThat(Suggestions.closest("xy", FIELDS)).isNull();
		assertThat(Suggestions.closest("", FIELDS)).isNull();
		assertThat(Suggestions.closest("a".repeat(10_000), FIELDS)).isNull();
	}

	@Test
	void shortNamesAllowOnlyOneEdit() {
		assertThat(Suggestions.closest("ix", FIELDS)).isEqualTo("id");
		assertThat(Suggestions.closest("tpe", FIELDS)).isEqualTo("type");
		assertThat(Suggestions.closest("tp", FIELDS)).isNull();
	}

	@Test
	void transpositionCountsAsOneEdit() {
		assertThat(Suggestions.distance("scpoe", "scope")).isEqualTo(1);
		assertThat(Suggestions.distance("scope", "scope")).isZero();
		assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
	}

}
