package dev.dbchaos.testdatabases;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the container implementations can be used. Testcontainers is an optional
 * dependency, so nothing here links against it: its classes are looked up by name, and
 * {@link DockerProbe}, which uses them, is only loaded once they are known to be there.
 */
final class Testcontainers {

	private static final Logger logger = LoggerFactory.getLogger(Testcontainers.class);

	private Testcontainers() {
	}

	/**
	 * Whether a Testcontainers class is on the class path, such as a database module's
	 * container class.
	 * @param className the class's name
	 * @return {@code true} if it can be loaded
	 */
	static boolean isOnClassPath(String className) {
		try {
			Class.forName(className, false, Testcontainers.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * Whether a Docker engine answers Testcontainers. Only call once Testcontainers is
	 * known to be on the class path.
	 * @return {@code true} if containers can run
	 */
	static boolean isDockerAvailable() {
		try {
			return DockerProbe.isDockerAvailable();
		}
		catch (LinkageError ex) {
			// Testcontainers is there but incomplete (a transitive dependency excluded).
			logger.debug("Testcontainers cannot be used", ex);
			return false;
		}
	}

}
