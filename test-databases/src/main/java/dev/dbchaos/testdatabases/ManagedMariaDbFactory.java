package dev.dbchaos.testdatabases;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a {@link ManagedMariaDb} implementation, and holds the shared one.
 * <p>
 * Testcontainers is an optional dependency, so nothing here links against it: see
 * {@link Testcontainers}; {@link ContainerManagedMariaDb} is only loaded once it is known
 * to be there.
 */
final class ManagedMariaDbFactory {

	private static final Logger logger = LoggerFactory.getLogger(ManagedMariaDbFactory.class);

	private static final String TESTCONTAINERS_CLASS = "org.testcontainers.containers.MariaDBContainer";

	private static final String DOCKER_HINT = "run a Docker engine with org.testcontainers:mariadb on the test classpath";

	private static AbstractManagedMariaDb shared;

	private ManagedMariaDbFactory() {
	}

	static AbstractManagedMariaDb create() {
		return create(System.getProperty(ManagedMariaDb.MODE_PROPERTY));
	}

	static synchronized ManagedMariaDb shared() {
		if (shared == null) {
			shared = create();
			shared.shareUntilJvmExit();
		}
		shared.start();
		shared.setReadOnly(false);
		return shared;
	}

	static AbstractManagedMariaDb create(String mode) {
		String normalized = (mode != null) ? mode.trim().toLowerCase(Locale.ROOT) : "";
		return switch (normalized) {
			case "", "auto" -> auto();
			case "local" -> local();
			case "container" -> container();
			default -> throw new IllegalArgumentException(
					"Unknown " + ManagedMariaDb.MODE_PROPERTY + " '" + mode + "': use auto, local or container");
		};
	}

	private static AbstractManagedMariaDb auto() {
		if (isTestcontainersPresent() && Testcontainers.isDockerAvailable()) {
			logger.info("Using MariaDB in a container ({}=auto, Docker is available)", ManagedMariaDb.MODE_PROPERTY);
			return new ContainerManagedMariaDb();
		}
		if (MariaDbBinaries.find().isPresent()) {
			return new LocalManagedMariaDb();
		}
		throw new IllegalStateException(
				"No MariaDB for tests on this machine: " + MariaDbBinaries.INSTALL_HINT + ", or " + DOCKER_HINT + ".");
	}

	private static AbstractManagedMariaDb local() {
		if (MariaDbBinaries.find().isEmpty()) {
			throw new IllegalStateException(ManagedMariaDb.MODE_PROPERTY + "=local but no MariaDB server found: "
					+ MariaDbBinaries.INSTALL_HINT + ".");
		}
		return new LocalManagedMariaDb();
	}

	private static AbstractManagedMariaDb container() {
		if (!isTestcontainersPresent()) {
			throw new IllegalStateException(ManagedMariaDb.MODE_PROPERTY
					+ "=container but Testcontainers' MariaDB module is not on the classpath: add org.testcontainers:mariadb.");
		}
		if (!Testcontainers.isDockerAvailable()) {
			throw new IllegalStateException(ManagedMariaDb.MODE_PROPERTY + "=container but no Docker engine answers: "
					+ DOCKER_HINT + ", or use local.");
		}
		return new ContainerManagedMariaDb();
	}

	static boolean isTestcontainersPresent() {
		return Testcontainers.isOnClassPath(TESTCONTAINERS_CLASS);
	}

}
