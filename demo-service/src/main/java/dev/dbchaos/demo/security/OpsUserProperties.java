package dev.dbchaos.demo.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator who may release sneakers and inject faults (role {@code ops}). The
 * defaults are for development only: set {@code DEMO_OPS_PASSWORD} anywhere else.
 */
@ConfigurationProperties("demo.ops")
public class OpsUserProperties {

	static final String DEFAULT_PASSWORD = "ops";

	/**
	 * Name of the operator.
	 */
	private String username = "ops";

	/**
	 * Password of the operator.
	 */
	private String password = DEFAULT_PASSWORD;

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

	/**
	 * Return whether the password is still the documented development default.
	 * @return whether the password is the default
	 */
	public boolean isDefaultPassword() {
		return DEFAULT_PASSWORD.equals(this.password);
	}

}
