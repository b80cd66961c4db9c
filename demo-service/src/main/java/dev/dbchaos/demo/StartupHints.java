package dev.dbchaos.demo;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.dbchaos.demo.security.SecurityConfiguration;
import dev.dbchaos.demo.security.UserProperties;

/**
 * Tells whoever started the shop where to point a browser and how to break its database.
 */
@Component
class StartupHints {

	private static final Log logger = LogFactory.getLog(StartupHints.class);

	private final Environment environment;

	private final UserProperties ops;

	StartupHints(Environment environment, @Qualifier(SecurityConfiguration.OPS_USER) UserProperties ops) {
		this.environment = environment;
		this.ops = ops;
	}

	@EventListener(ApplicationReadyEvent.class)
	void printHints() {
		String base = "http://localhost:" + this.environment.getProperty("local.server.port", "8080");
		// Only the documented development password is worth printing; a real one stays
		// secret.
		String credentials = this.ops.getUsername() + ":"
				+ (this.ops.isDefaultPassword() ? this.ops.getPassword() : "<demo.ops.password>");
		logger.info(String.format(
				"%n%n  Sneaker drop is open at    %s/%n  Admin (user '%s')          %s/admin%n"
						+ "  Start a 2 minute outage:   curl -u %s -H 'Content-Type: application/json' "
						+ "-d '{\"type\":\"outage\",\"duration\":\"2m\"}' %s/actuator/dbchaos%n"
						+ "  End every fault:           curl -u %s -X DELETE %s/actuator/dbchaos%n",
				base, this.ops.getUsername(), base, credentials, base, credentials, base));
	}

}
