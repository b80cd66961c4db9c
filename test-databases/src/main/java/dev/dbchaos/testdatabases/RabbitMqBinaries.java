package dev.dbchaos.testdatabases;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Locates RabbitMQ's start script ({@code rabbitmq-server}) and Erlang's port mapper
 * ({@code epmd}): the script in the directory named by {@value #RABBITMQ_BIN}, else in
 * {@code /usr/lib/rabbitmq/bin}, where Debian's package and RabbitMQ's own put it; the
 * port mapper on the {@code PATH}, else in {@code /usr/bin} or
 * {@code /usr/lib/erlang/bin}.
 * <p>
 * Not {@code /usr/sbin/rabbitmq-server}, which is on a root's {@code PATH}: Debian's
 * wrapper there switches to the {@code rabbitmq} user and to {@code /var/lib/rabbitmq},
 * the system service's directory.
 */
final class RabbitMqBinaries {

	/** Environment variable naming the directory that holds {@code rabbitmq-server}. */
	static final String RABBITMQ_BIN = "RABBITMQ_BIN";

	static final String INSTALL_HINT = "install RabbitMQ (Debian/Ubuntu: apt-get install rabbitmq-server; .ci/run does), "
			+ "or set " + RABBITMQ_BIN + " to the directory holding rabbitmq-server";

	static final Path DISTRIBUTION_DIRECTORY = Path.of("/usr/lib/rabbitmq/bin");

	static final List<Path> ERLANG_DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/usr/lib/erlang/bin"));

	private static final String SERVER = "rabbitmq-server";

	private static final String EPMD = "epmd";

	private final Path server;

	private final Path epmd;

	private RabbitMqBinaries(Path server, Path epmd) {
		this.server = server;
		this.epmd = epmd;
	}

	/**
	 * Find the binaries on this machine.
	 * @return the binaries, or empty if either is missing
	 * @throws IllegalStateException if {@value #RABBITMQ_BIN} is set but wrong, so that a
	 * typo is not silently replaced by some other installation
	 */
	static Optional<RabbitMqBinaries> find() {
		return find(System.getenv(RABBITMQ_BIN), System.getenv("PATH"), DISTRIBUTION_DIRECTORY, ERLANG_DIRECTORIES);
	}

	static Optional<RabbitMqBinaries> find(String rabbitmqBin, String path, Path distributionDirectory,
			List<Path> erlangDirectories) {
		Path serverDirectory = distributionDirectory;
		if (rabbitmqBin != null && !rabbitmqBin.isBlank()) {
			serverDirectory = Path.of(rabbitmqBin);
			if (!isExecutable(serverDirectory.resolve(SERVER))) {
				throw new IllegalStateException(RABBITMQ_BIN + "=" + rabbitmqBin + " does not contain " + SERVER);
			}
		}
		Path server = serverDirectory.resolve(SERVER);
		if (!isExecutable(server)) {
			return Optional.empty();
		}
		List<Path> directories = new ArrayList<>(onPath(path));
		directories.addAll(erlangDirectories);
		return directories.stream()
			.map((directory) -> directory.resolve(EPMD))
			.filter(RabbitMqBinaries::isExecutable)
			.findFirst()
			.map((epmd) -> new RabbitMqBinaries(server, epmd));
	}

	private static List<Path> onPath(String path) {
		if (path == null) {
			return List.of();
		}
		return Arrays.stream(path.split(File.pathSeparator)).filter((entry) -> !entry.isBlank()).map(Path::of).toList();
	}

	private static boolean isExecutable(Path file) {
		return Files.isRegularFile(file) && Files.isExecutable(file);
	}

	Path server() {
		return this.server;
	}

	Path epmd() {
		return this.epmd;
	}

	@Override
	public String toString() {
		return this.server + " and " + this.epmd;
	}

}
