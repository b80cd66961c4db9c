package dev.dbchaos.fault;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Logs every rule change at WARN, so that whoever reads the logs of a service that
 * misbehaves can see that its database was being broken on purpose, and when that
 * stopped.
 * <p>
 * Logs through the JDK's {@link System.Logger}, so that the core needs no logging
 * library: in a Spring Boot application Boot's JUL bridge sends it to the application's
 * logging system, under the logger name {@code dev.dbchaos}.
 *
 * @since 0.1.0
 */
public class LoggingFaultListener implements FaultListener {

	private static final Logger logger = System.getLogger("dev.dbchaos");

	@Override
	public void added(FaultRule rule) {
		logger.log(Level.WARNING, "dbchaos fault " + rule.getId() + " added: " + rule.getSpec() + " (expires at "
				+ rule.getExpiresAt() + ")");
	}

	@Override
	public void removed(FaultRule rule, RemovalReason reason) {
		logger.log(Level.WARNING, "dbchaos fault " + rule.getId() + " " + describe(reason) + " after "
				+ rule.getInjections() + " injection(s): " + rule.getSpec());
	}

	private static String describe(RemovalReason reason) {
		return switch (reason) {
			case REMOVED -> "removed";
			case EXPIRED -> "expired";
			case USED_UP -> "used up its count";
			case SHUTDOWN -> "ended at shutdown";
		};
	}

}
