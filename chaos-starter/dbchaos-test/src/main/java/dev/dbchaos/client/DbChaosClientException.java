package dev.dbchaos.client;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the {@code dbchaos} endpoint refuses a request or cannot be reached.
 *
 * @since 0.1.0
 */
public class DbChaosClientException extends RuntimeException {

	private final int status;

	private final @Nullable String body;

	DbChaosClientException(String message, int status, @Nullable String body) {
		super(message + detail(body));
		this.status = status;
		this.body = body;
	}

	DbChaosClientException(String message, Throwable cause) {
		super(message, cause);
		this.status = -1;
		this.body = null;
	}

	// The endpoint's refusals say what was wrong in their "message"
	// ("steps[0].fault.type:
	// unknown fault type ..."); any other body is shown whole.
	private static String detail(@Nullable String body) {
		if (body == null || body.isEmpty()) {
			return "";
		}
		try {
			if (Json.parse(body) instanceof Map<?, ?> members && members.get("message") instanceof String message) {
				return ": " + message;
			}
		}
		catch (IllegalArgumentException ex) {
			// not JSON: shown whole
		}
		return ": " + body;
	}

	/**
	 * Return the HTTP status of the refusal.
	 * @return the status, or -1 if the endpoint could not be reached
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Return the body of the refusal, which names the offending field for a 400.
	 * @return the body, or {@code null}
	 */
	public @Nullable String getBody() {
		return this.body;
	}

}
