package dev.dbchaos.fault;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs every rule change at WARN, so that whoever reads the logs of a service that misbehaves
 * can see that its database was being broken on purpose, and when that stopped.
 *
 * @author dbchaos
 */
public class LoggingFaultListener implements FaultListener {

	private static final Log logger = LogFactory.getLog("dev.dbchaos");

	@Override
	public void added(FaultRule rule) {
		logger.warn("dbchaos fault " + rule.getId() + " added: " + rule.getSpec() + " (expires at "
				+ rule.getExpiresAt() + ")");
	}

	@Override
	public void removed(FaultRule rule, RemovalReason reason) {
		logger.warn("dbchaos fault " + rule.getId() + " " + describe(reason) + " after " + rule.getInjections()
				+ " injection(s): " + rule.getSpec());
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
