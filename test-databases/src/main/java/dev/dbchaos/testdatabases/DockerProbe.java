package dev.dbchaos.testdatabases;

import org.testcontainers.DockerClientFactory;

/**
 * Asks Testcontainers whether a Docker engine answers. A class of its own so that
 * Testcontainers is only linked once it is known to be on the classpath.
 */
final class DockerProbe {

	private DockerProbe() {
	}

	static boolean isDockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
