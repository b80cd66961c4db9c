package dev.dbchaos.actuate;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Finds what a mistyped field name or value was probably meant to be, so that a refusal
 * can say "did you mean scope?" rather than only "unknown field".
 */
final class Suggestions {

	private Suggestions() {
	}

	/**
	 * Return the candidate closest to what was typed, or {@code null} when none is close:
	 * a candidate that differs only in case (or surrounding spaces) first, then the one
	 * at the smallest edit distance (a transposition counting as one edit), if that
	 * distance is small for the candidate's length.
	 * @param typed what was typed
	 * @param candidates the valid names or values, in order of preference for ties
	 * @return the suggestion, or {@code null}
	 */
	static @Nullable String closest(String typed, List<String> candidates) {
		String normalized = typed.trim().toLowerCase(Locale.ROOT);
		for (String candidate : candidates) {
			if (candidate.toLowerCase(Locale.ROOT).equals(normalized)) {
				return candidate;
			}
		}
		// Longer input than any candidate by more than a few characters cannot be close;
		// this
		// also keeps the distance computation small whatever is posted.
		if (normalized.length() > 64) {
			return null;
		}
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			int distance = distance(normalized, candidate.toLowerCase(Locale.ROOT));
			if (distance <= allowedDistance(candidate) && distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return best;
	}

	private static int allowedDistance(String candidate) {
		// One edit for short names ("id", "type", "scope"), two for long ones
		// ("sqlState", "read-only").
		return Math.max(1, Math.min(2, candidate.length() / 3));
	}

	/**
	 * Optimal string alignment distance: insertions, deletions, substitutions and
	 * transpositions of adjacent characters each count as one edit.
	 * @param a one of the strings
	 * @param b the other string
	 * @return the number of edits that turn {@code a} into {@code b}
	 */
	static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

}
