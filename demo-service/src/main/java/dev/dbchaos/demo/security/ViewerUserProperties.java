package dev.dbchaos.demo.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A signed-in user without role {@code ops}: may look, but not release sneakers or inject
 * faults. There to show (and test) that being authenticated is not enough. The defaults
 * are for development only.
 */
@ConfigurationProperties("demo.viewer")
public class ViewerUserProperties {

	/**
	 * Name of the viewer.
	 */
	private String username = "viewer";

	/**
	 * Password of the viewer.
	 */
	private String password = "viewer";

	public String getUsername() {
		return this.username;
	}

	public void setUsername(String username) {
		this.username = username;
	}

	public String getPassword() {
		return this.password;
	}

	public void setPassword(String password) {
		this.password = password;
	}

}
