package dev.dbchaos.jdbc;

import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What dbchaos needs to know from a JDBC URL to word its failures as the driver would.
 */
final class JdbcUrls {

	private static final Pattern HOST_PORT = Pattern.compile("^jdbc:[a-z0-9]+:(?:[a-z0-9]+:)*//([^/?;,]+)");

	private static final Pattern SOCKET_TIMEOUT = Pattern.compile("[?&]socketTimeout=(\\d+)");

	private JdbcUrls() {
	}

	/**
	 * Return the first {@code host:port} of a URL, with PostgreSQL's default port when
	 * the URL names none.
	 * @param jdbcUrl the URL, may be {@code null}
	 * @return the server, or {@code "database server"} if the URL does not say
	 */
	static String server(@Nullable String jdbcUrl) {
		if (jdbcUrl == null) {
			return "database server";
		}
		Matcher matcher = HOST_PORT.matcher(jdbcUrl);
		if (!matcher.find()) {
			return "database server";
		}
		String server = matcher.group(1);
		return (server.contains(":") || !jdbcUrl.startsWith("jdbc:postgresql:")) ? server : server + ":5432";
	}

	/**
	 * Return PgJDBC's {@code socketTimeout} (seconds) from the URL or the connection
	 * properties.
	 * @param jdbcUrl the URL, may be {@code null}
	 * @param properties the connection properties, may be {@code null}
	 * @return the timeout, or {@code null} when reads never time out
	 */
	static @Nullable Duration socketTimeout(@Nullable String jdbcUrl, @Nullable Properties properties) {
		String seconds = (properties != null) ? properties.getProperty("socketTimeout") : null;
		if (seconds == null && jdbcUrl != null) {
			Matcher matcher = SOCKET_TIMEOUT.matcher(jdbcUrl);
			seconds = matcher.find() ? matcher.group(1) : null;
		}
		try {
			long value = (seconds != null) ? Long.parseLong(seconds.trim()) : 0;
			return (value > 0) ? Duration.ofSeconds(value) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
