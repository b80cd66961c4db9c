package dev.dbchaos.reliability;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.SqlPatterns;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rule's {@code sql} filter is a regular expression matched against every statement on
 * the calling thread: a pattern that backtracks catastrophically must not freeze the
 * service's JDBC calls, however long the statement.
 */
class CatastrophicSqlPatternIT {

	// Runs of 40 letters each ended by a character the patterns cannot match, so that
	// every
	// pattern below explores exponentially many ways (or, for the last, n^20) to fail on
	// the first run.
	private static final String LITERAL = ("a".repeat(40) + " " + "x".repeat(40) + "!").repeat(610);

	private static final String STATEMENT = "select length('" + LITERAL + "')";

	private static final List<String> PATTERNS = List.of("(a+)+$", "(a|aa)+$", "(a|a)+b", "(x+x+)+y", "(.*a){20}z");

	private static final Duration BOUND = Duration.ofSeconds(5);

	private static final Map<String, Duration> slowest = new LinkedHashMap<>();

	/** How long the JDK's own matcher takes on the statement, given up after a second. */
	private static final Duration UNBOUNDED_BUDGET = Duration.ofSeconds(1);

	private static final Map<String, String> unbounded = new LinkedHashMap<>();

	@Test
	void aCatastrophicPatternOnA50kStatementLetsTheCallCompletePromptly() {
		assertThat(STATEMENT).hasSizeGreaterThan(50_000);
		ReliabilityContexts.hikariWithDbChaos().run((context) -> {
			FaultRegistry registry = context.getBean(FaultRegistry.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			for (String pattern : PATTERNS) {
				FaultRule rule = registry
					.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").sql(pattern).build());
				Duration worst = Duration.ZERO;
				// Several calls, so that a pattern cached or warmed up after the first
				// would show.
				for (int i = 0; i < 3; i++) {
					long start = System.nanoTime();
					CompletableFuture<Integer> call = CompletableFuture
						.supplyAsync(() -> jdbc.queryForObject(STATEMENT, Integer.class));
					Integer length = assertThat(call).as(pattern).succeedsWithin(BOUND).actual();
					Duration took = Duration.ofNanos(System.nanoTime() - start);
					worst = (took.compareTo(worst) > 0) ? took : worst;
					// Given up matching counts as no match: the call goes through
					// untouched.
					assertThat(length).isEqualTo(LITERAL.length());
				}
				assertThat(rule.getInjections()).as(pattern).isZero();
				registry.remove(rule.getId());
				slowest.put(pattern, worst);
				unbounded.put(pattern, unboundedMatch(pattern));
			}
		});
	}

	@Test
	void aBenignPatternStillMatchesALongStatement() {
		ReliabilityContexts.hikariWithDbChaos().run((context) -> {
			FaultRegistry registry = context.getBean(FaultRegistry.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			FaultRule rule = registry
				.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").sql("length\\('a{40} x{40}!").build());
			CompletableFuture<Integer> call = CompletableFuture
				.supplyAsync(() -> jdbc.queryForObject(STATEMENT, Integer.class));
			// The rule's failure, and within the bound: a call still running at the bound
			// fails the test.
			assertThat(call).completesExceptionallyWithin(BOUND)
				.withThrowableThat()
				.havingCause()
				.isInstanceOf(DataAccessException.class)
				.satisfies((ex) -> assertThat(ReliabilityContexts.sqlState(ex)).isEqualTo("40001"));
			assertThat(rule.getInjections()).isOne();
		});
	}

	/**
	 * What the pattern costs without dbchaos's bounds, measured: the JDK's matcher on the
	 * same statement, stopped once the budget is spent (its text throws when read past
	 * the deadline, as a regex cannot be interrupted otherwise).
	 */
	private static String unboundedMatch(String pattern) {
		long deadline = System.nanoTime() + UNBOUNDED_BUDGET.toNanos();
		CharSequence text = new DeadlineText(STATEMENT, deadline);
		long start = System.nanoTime();
		try {
			java.util.regex.Pattern.compile(pattern).matcher(text).find();
			return "done in " + ReliabilityReport.millis(Duration.ofNanos(System.nanoTime() - start));
		}
		catch (DeadlineText.Passed ex) {
			return "no answer after " + UNBOUNDED_BUDGET.toSeconds() + " s (stopped)";
		}
	}

	@AfterAll
	static void report() {
		StringBuilder body = new StringBuilder();
		body.append("A rule `{\"type\":\"error\",\"sqlState\":\"40001\",\"sql\":PATTERN}` is in force while the ")
			.append("application runs a ")
			.append(String.format("%,d", STATEMENT.length()))
			.append("-character statement through HikariCP against PostgreSQL. The statement is built so that each pattern ")
			.append("backtracks exponentially (or, for `(.*a){20}z`, to the 20th power) on each 81-character run. ")
			.append("dbchaos matches the first ")
			.append(String.format("%,d", SqlPatterns.MAX_TEXT_LENGTH))
			.append(" characters and gives up after ")
			.append(String.format("%,d", SqlPatterns.MAX_STEPS))
			.append(" steps (no match), so every call must complete within ")
			.append(BOUND.toSeconds())
			.append(" s and return the right result.\n\n");
		body.append(
				"| pattern | slowest of 3 calls | plain `java.util.regex`, unbounded, same statement |\n|---|---:|---:|\n");
		slowest.forEach((pattern, took) -> body.append("| `" + pattern.replace("|", "\\|") + "` | "
				+ ReliabilityReport.millis(took) + " | " + unbounded.get(pattern) + " |\n"));
		body.append(
				"\nA benign pattern matching inside the same long statement still fires (the call fails with `40001`).\n");
		ReliabilityReport.write("regex-filter", "A regex filter can't freeze the service",
				CatastrophicSqlPatternIT.class, body.toString());
	}

	/**
	 * Text that fails every read once a deadline has passed.
	 */
	private record DeadlineText(CharSequence text, long deadline) implements CharSequence {

		@Override
		public int length() {
			return this.text.length();
		}

		@Override
		public char charAt(int index) {
			if (System.nanoTime() > this.deadline) {
				throw new Passed();
			}
			return this.text.charAt(index);
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return new DeadlineText(this.text.subSequence(start, end), this.deadline);
		}

		@Override
		public String toString() {
			return this.text.toString();
		}

		static final class Passed extends RuntimeException {

			Passed() {
				super(null, null, false, false);
			}

		}

	}

}
