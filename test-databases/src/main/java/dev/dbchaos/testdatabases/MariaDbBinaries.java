package dev.dbchaos.testdatabases;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Locates the MariaDB server ({@code mariadbd}) and the program that creates its data
 * directory ({@code mariadb-install-db}): in the directory named by
 * {@value #MARIADB_BIN}, else on the {@code PATH}, else in the directories where
 * distributions put them: Debian and Ubuntu the server in {@code /usr/sbin}, off a user's
 * {@code PATH}, and the other in {@code /usr/bin}; Red Hat the server in
 * {@code /usr/libexec}.
 */
final class MariaDbBinaries {

	/** Environment variable naming the directory that holds both binaries. */
	static final String MARIADB_BIN = "MARIADB_BIN";

	static final String INSTALL_HINT = "install the MariaDB server (Debian/Ubuntu: apt-get install mariadb-server), "
			+ "or set " + MARIADB_BIN + " to the directory holding mariadbd and mariadb-install-db";

	static final List<Path> DISTRIBUTION_DIRECTORIES = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"),
			Path.of("/usr/libexec"));

	private static final String SERVER = "mariadbd";

	private static final String INSTALL_DB = "mariadb-install-db";

	private final Path server;

	private final Path installDb;

	private MariaDbBinaries(Path server, Path installDb) {
		this.server = server;
		this.installDb = installDb;
	}

	/**
	 * Find the binaries on this machine.
	 * @return the binaries, or empty if either is missing
	 * @throws IllegalStateException if {@value #MARIADB_BIN} is set but wrong, so that a
	 * typo is not silently replaced by some other installation
	 */
	static Optional<MariaDbBinaries> find() {
		return find(System.getenv(MARIADB_BIN), System.getenv("PATH"), DISTRIBUTION_DIRECTORIES);
	}

	static Optional<MariaDbBinaries> find(String mariadbBin, String path, List<Path> distributionDirectories) {
		if (mariadbBin != null && !mariadbBin.isBlank()) {
			Path directory = Path.of(mariadbBin);
			if (!isExecutable(directory.resolve(SERVER)) || !isExecutable(directory.resolve(INSTALL_DB))) {
				throw new IllegalStateException(
						MARIADB_BIN + "=" + mariadbBin + " does not contain " + SERVER + " and " + INSTALL_DB);
			}
			return Optional.of(new MariaDbBinaries(directory.resolve(SERVER), directory.resolve(INSTALL_DB)));
		}
		List<Path> directories = new ArrayList<>(onPath(path));
		directories.addAll(distributionDirectories);
		Optional<Path> server = first(SERVER, directories);
		Optional<Path> installDb = first(INSTALL_DB, directories);
		return server.flatMap((found) -> installDb.map((other) -> new MariaDbBinaries(found, other)));
	}

	private static List<Path> onPath(String path) {
		if (path == null) {
			return List.of();
		}
		return Arrays.stream(path.split(File.pathSeparator)).filter((entry) -> !entry.isBlank()).map(Path::of).toList();
	}

	private static Optional<Path> first(String name, List<Path> directories) {
		return directories.stream()
			.map((directory) -> directory.resolve(name))
			.filter(MariaDbBinaries::isExecutable)
			.findFirst();
	}

	private static boolean isExecutable(Path file) {
		return Files.isRegularFile(file) && Files.isExecutable(file);
	}

	Path server() {
		return this.server;
	}

	Path installDb() {
		return this.installDb;
	}

	@Override
	public String toString() {
		return this.server + " and " + this.installDb;
	}

}
