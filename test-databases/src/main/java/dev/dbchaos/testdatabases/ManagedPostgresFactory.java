package dev.dbchaos.testdatabases;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a {@link ManagedPostgres} implementation, and holds the shared one.
 * <p>
 * Testcontainers is an optional dependency, so nothing here links against it: see
 * {@link Testcontainers}; {@link ContainerManagedPostgres} is only loaded once it is
 * known to be there.
 */
final class ManagedPostgresFactory {

	private static final Logger logger = LoggerFactory.getLogger(ManagedPostgresFactory.class);

	private static final String TESTCONTAINERS_CLASS = "org.testcontainers.containers.PostgreSQLContainer";

	private static final String DOCKER_HINT = "run a Docker engine with org.testcontainers:postgresql on the test classpath";

	private static AbstractManagedPostgres shared;

	private ManagedPostgresFactory() {
	}

	static AbstractManagedPostgres create() {
		return create(System.getProperty(ManagedPostgres.MODE_PROPERTY));
	}

	static synchronized ManagedPostgres shared() {
		if (shared == null) {
			shared = create();
			shared.shareUntilJvmExit();
		}
		shared.start();
		return shared;
	}

	static AbstractManagedPostgres create(String mode) {
		String normalized = (mode != null) ? mode.trim().toLowerCase(Locale.ROOT) : "";
		return switch (normalized) {
			case "", "auto" -> auto();
			case "local" -> local();
			case "container" -> container();
			default -> throw new IllegalArgumentException(
					"Unknown " + ManagedPostgres.MODE_PROPERTY + " '" + mode + "': use auto, local or container");
		};
	}

	private static AbstractManagedPostgres auto() {
		if (isTestcontainersPresent() && Testcontainers.isDockerAvailable()) {
			logger.info("Using PostgreSQL in a container ({}=auto, Docker is available)",
					ManagedPostgres.MODE_PROPERTY);
			return new ContainerManagedPostgres();
		}
		if (PostgresBinaries.find().isPresent()) {
			return new LocalManagedPostgres();
		}
		throw new IllegalStateException("No PostgreSQL for tests on this machine: " + PostgresBinaries.INSTALL_HINT
				+ ", or " + DOCKER_HINT + ".");
	}

	private static AbstractManagedPostgres local() {
		if (PostgresBinaries.find().isEmpty()) {
			throw new IllegalStateException(ManagedPostgres.MODE_PROPERTY + "=local but no PostgreSQL binaries found: "
					+ PostgresBinaries.INSTALL_HINT + ".");
		}
		return new LocalManagedPostgres();
	}

	private static AbstractManagedPostgres container() {
		if (!isTestcontainersPresent()) {
			throw new IllegalStateException(ManagedPostgres.MODE_PROPERTY
					+ "=container but Testcontainers is not on the classpath: add org.testcontainers:postgresql.");
		}
		if (!Testcontainers.isDockerAvailable()) {
			throw new IllegalStateException(ManagedPostgres.MODE_PROPERTY + "=container but no Docker engine answers: "
					+ DOCKER_HINT + ", or use local.");
		}
		return new ContainerManagedPostgres();
	}

	static boolean isTestcontainersPresent() {
		return Testcontainers.isOnClassPath(TESTCONTAINERS_CLASS);
	}

}
