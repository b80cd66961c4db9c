package dev.dbchaos.testdatabases;

import java.util.Locale;
import java.util.Set;

/**
 * Whether the tests run in continuous integration, where a scenario that needs something
 * missing (a browser, Prometheus, PostgreSQL) must fail rather than skip. The {@code CI}
 * environment variable decides, as CI services set it: any value but {@code false},
 * {@code 0}, {@code no} or empty counts ({@code CI=true}, {@code CI=1}, {@code CI=yes}).
 */
public final class ContinuousIntegration {

	private static final Set<String> NOT_CI = Set.of("", "false", "0", "no", "off");

	private ContinuousIntegration() {
	}

	/**
	 * Return whether the tests run in CI.
	 * @return whether {@code CI} is set to a value that means yes
	 */
	public static boolean isCi() {
		return isCi(System.getenv("CI"));
	}

	static boolean isCi(String value) {
		return value != null && !NOT_CI.contains(value.trim().toLowerCase(Locale.ROOT));
	}

}
