package dev.dbchaos.fault;

import java.util.regex.Pattern;

/**
 * Bounded matching of rule patterns against statement text. A pattern that backtracks
 * catastrophically on a long statement could otherwise freeze every thread that runs SQL,
 * so the text a pattern sees is capped and the match gives up after a fixed number of
 * steps.
 *
 * @since 0.1.0
 */
public final class SqlPatterns {

	/**
	 * Longest statement prefix a rule's {@code sql} pattern is matched against.
	 */
	public static final int MAX_TEXT_LENGTH = 10_000;

	/**
	 * Character reads a single match may make before it is abandoned as a non-match.
	 */
	public static final int MAX_STEPS = 1_000_000;

	private SqlPatterns() {
	}

	static boolean find(Pattern pattern, String sql) {
		CharSequence text = (sql.length() > MAX_TEXT_LENGTH) ? sql.substring(0, MAX_TEXT_LENGTH) : sql;
		try {
			return pattern.matcher(new StepLimitedText(text, MAX_STEPS)).find();
		}
		catch (StepLimitExceeded ex) {
			return false;
		}
	}

	/**
	 * Text that counts how often the regex engine reads it and gives up past a limit. The
	 * engine reads characters through {@link #charAt(int)}, so the count bounds its work.
	 */
	private static final class StepLimitedText implements CharSequence {

		private final CharSequence text;

		private final int limit;

		private int steps;

		StepLimitedText(CharSequence text, int limit) {
			this.text = text;
			this.limit = limit;
		}

		@Override
		public char charAt(int index) {
			if (++this.steps > this.limit) {
				throw new StepLimitExceeded();
			}
			return this.text.charAt(index);
		}

		@Override
		public int length() {
			return this.text.length();
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return new StepLimitedText(this.text.subSequence(start, end), this.limit - this.steps);
		}

		@Override
		public String toString() {
			return this.text.toString();
		}

	}

	private static final class StepLimitExceeded extends RuntimeException {

		StepLimitExceeded() {
			super(null, null, false, false);
		}

	}

}
