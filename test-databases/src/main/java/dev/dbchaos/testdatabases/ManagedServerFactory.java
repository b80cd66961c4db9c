package dev.dbchaos.testdatabases;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses how a kind of managed server runs (local binaries or a Testcontainers
 * container, by the {@code auto|local|container} system property of its kind), and holds
 * the one shared instance of that kind.
 * <p>
 * Testcontainers is an optional dependency, so nothing here links against it: see
 * {@link Testcontainers}; a container implementation is only created once its
 * Testcontainers module is known to be on the class path.
 *
 * @param <S> the kind of server
 */
final class ManagedServerFactory<S extends AbstractManagedServer> {

	/** The PostgreSQL servers of {@link ManagedPostgres}. */
	static final ManagedServerFactory<AbstractManagedPostgres> POSTGRES = new ManagedServerFactory<>("PostgreSQL",
			ManagedPostgres.MODE_PROPERTY, "org.testcontainers.containers.PostgreSQLContainer",
			"org.testcontainers:postgresql", () -> PostgresBinaries.find().isPresent(), PostgresBinaries.INSTALL_HINT,
			LocalManagedPostgres::new, () -> new ContainerManagedPostgres(), (postgres) -> {
			});

	/** The MariaDB servers of {@link ManagedMariaDb}. */
	static final ManagedServerFactory<AbstractManagedMariaDb> MARIADB = new ManagedServerFactory<>("MariaDB",
			ManagedMariaDb.MODE_PROPERTY, "org.testcontainers.containers.MariaDBContainer",
			"org.testcontainers:mariadb", () -> MariaDbBinaries.find().isPresent(), MariaDbBinaries.INSTALL_HINT,
			LocalManagedMariaDb::new, () -> new ContainerManagedMariaDb(), (mariadb) -> mariadb.setReadOnly(false));

	// The container servers are created in lambdas, not method references: a reference
	// would link their classes, and with them Testcontainers, when this class is
	// initialized, also where Testcontainers is absent.

	private static final Logger logger = LoggerFactory.getLogger(ManagedServerFactory.class);

	private final String product;

	private final String modeProperty;

	private final String testcontainersClass;

	private final String testcontainersModule;

	private final BooleanSupplier binariesPresent;

	private final String installHint;

	private final Supplier<S> local;

	private final Supplier<S> container;

	private final Consumer<S> resetShared;

	private S shared;

	/**
	 * Describe a kind of server.
	 * @param product its name in messages
	 * @param modeProperty the system property choosing how it runs
	 * @param testcontainersClass a class of its Testcontainers module
	 * @param testcontainersModule that module's coordinates, for messages
	 * @param binariesPresent whether this machine has its binaries
	 * @param installHint how to get them, for messages
	 * @param local creates a server from local binaries
	 * @param container creates a server in a container (only called with Testcontainers
	 * present)
	 * @param resetShared undoes what a test may have left set on the shared server before
	 * it is handed out again, such as read-only mode
	 */
	private ManagedServerFactory(String product, String modeProperty, String testcontainersClass,
			String testcontainersModule, BooleanSupplier binariesPresent, String installHint, Supplier<S> local,
			Supplier<S> container, Consumer<S> resetShared) {
		this.product = product;
		this.modeProperty = modeProperty;
		this.testcontainersClass = testcontainersClass;
		this.testcontainersModule = testcontainersModule;
		this.binariesPresent = binariesPresent;
		this.installHint = installHint;
		this.local = local;
		this.container = container;
		this.resetShared = resetShared;
	}

	/**
	 * Create a server as the mode property says, not started.
	 * @return the server
	 */
	S create() {
		return create(System.getProperty(this.modeProperty));
	}

	/**
	 * Return the shared server, started and reset.
	 * @return the shared server
	 */
	synchronized S shared() {
		if (this.shared == null) {
			this.shared = create();
			this.shared.shareUntilJvmExit();
		}
		this.shared.start();
		this.resetShared.accept(this.shared);
		return this.shared;
	}

	/**
	 * Create a server in the given mode, not started.
	 * @param mode {@code auto} (or {@code null} or empty), {@code local} or
	 * {@code container}
	 * @return the server
	 */
	S create(String mode) {
		String normalized = (mode != null) ? mode.trim().toLowerCase(Locale.ROOT) : "";
		return switch (normalized) {
			case "", "auto" -> auto();
			case "local" -> local();
			case "container" -> container();
			default -> throw new IllegalArgumentException(
					"Unknown " + this.modeProperty + " '" + mode + "': use auto, local or container");
		};
	}

	private S auto() {
		if (isTestcontainersPresent() && Testcontainers.isDockerAvailable()) {
			logger.info("Using {} in a container ({}=auto, Docker is available)", this.product, this.modeProperty);
			return this.container.get();
		}
		if (this.binariesPresent.getAsBoolean()) {
			return this.local.get();
		}
		throw new IllegalStateException("No " + this.product + " for tests on this machine: " + this.installHint
				+ ", or " + dockerHint() + ".");
	}

	private S local() {
		if (!this.binariesPresent.getAsBoolean()) {
			throw new IllegalStateException(this.modeProperty + "=local but no " + this.product
					+ " server binaries found: " + this.installHint + ".");
		}
		return this.local.get();
	}

	private S container() {
		if (!isTestcontainersPresent()) {
			throw new IllegalStateException(this.modeProperty + "=container but Testcontainers' " + this.product
					+ " module is not on the classpath: add " + this.testcontainersModule + ".");
		}
		if (!Testcontainers.isDockerAvailable()) {
			throw new IllegalStateException(
					this.modeProperty + "=container but no Docker engine answers: " + dockerHint() + ", or use local.");
		}
		return this.container.get();
	}

	private String dockerHint() {
		return "run a Docker engine with " + this.testcontainersModule + " on the test classpath";
	}

	/**
	 * Return whether this kind's Testcontainers module is on the class path.
	 * @return whether it is
	 */
	boolean isTestcontainersPresent() {
		return Testcontainers.isOnClassPath(this.testcontainersClass);
	}

}
