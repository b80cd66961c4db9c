package dev.dbchaos.demo.security;

/**
 * One user of the shop, signed in with HTTP Basic. Bound twice by
 * {@link SecurityConfiguration}: {@code demo.ops} (role {@code ops}, may release sneakers
 * and inject faults) and {@code demo.viewer} (may look, nothing more). The defaults are
 * for development only: set {@code DEMO_OPS_PASSWORD} anywhere else.
 */
public class UserProperties {

	private final String defaultPassword;

	/**
	 * Name of the user.
	 */
	private String username;

	/**
	 * Password of the user.
	 */
	private String password;

	UserProperties(String defaultUsername, String defaultPassword) {
		this.username = defaultUsername;
		this.password = defaultPassword;
		this.defaultPassword = defaultPassword;
	}

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
		return this.defaultPassword.equals(this.password);
	}

}
