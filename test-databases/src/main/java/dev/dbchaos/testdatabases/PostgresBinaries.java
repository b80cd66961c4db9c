package dev.dbchaos.testdatabases;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Locates the PostgreSQL server binaries ({@code initdb} and {@code pg_ctl}): in the
 * directory named by {@value #PG_BIN}, else on the {@code PATH}, else in the highest
 * version under {@code /usr/lib/postgresql/<version>/bin}, where Debian and Ubuntu put
 * them without adding them to the {@code PATH}.
 */
final class PostgresBinaries {

	/** Environment variable naming the directory that holds the binaries. */
	static final String PG_BIN = "PG_BIN";

	static final String INSTALL_HINT = "install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql), "
			+ "or set " + PG_BIN + " to the directory holding initdb and pg_ctl";

	private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

	private final Path directory;

	private PostgresBinaries(Path directory) {
		this.directory = directory;
	}

	/**
	 * Find the binaries on this machine.
	 * @return the binaries, or empty if there are none
	 * @throws IllegalStateException if {@value #PG_BIN} is set but wrong, so that a typo
	 * is not silently replaced by some other installation
	 */
	static Optional<PostgresBinaries> find() {
		return find(System.getenv(PG_BIN), System.getenv("PATH"), DEBIAN_ROOT);
	}

	static Optional<PostgresBinaries> find(String pgBin, String path, Path debianRoot) {
		if (pgBin != null && !pgBin.isBlank()) {
			Path directory = Path.of(pgBin);
			if (!isComplete(directory)) {
				throw new IllegalStateException(PG_BIN + "=" + pgBin + " does not contain initdb and pg_ctl");
			}
			return Optional.of(new PostgresBinaries(directory));
		}
		return onPath(path).or(() -> highestVersionUnder(debianRoot)).map(PostgresBinaries::new);
	}

	private static Optional<Path> onPath(String path) {
		if (path == null) {
			return Optional.empty();
		}
		return Arrays.stream(path.split(File.pathSeparator))
			.filter((entry) -> !entry.isBlank())
			.map(Path::of)
			.filter(PostgresBinaries::isComplete)
			.findFirst();
	}

	private static Optional<Path> highestVersionUnder(Path root) {
		if (!Files.isDirectory(root)) {
			return Optional.empty();
		}
		try (Stream<Path> versions = Files.list(root)) {
			return versions.filter((version) -> version.getFileName().toString().matches("\\d+(\\.\\d+)*"))
				.map((version) -> version.resolve("bin"))
				.filter(PostgresBinaries::isComplete)
				.max(Comparator.comparing((bin) -> bin.getParent().getFileName().toString(),
						PostgresBinaries::compareVersions));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	// Numerically, so that 10 is higher than 9.6.
	private static int compareVersions(String left, String right) {
		String[] l = left.split("\\.");
		String[] r = right.split("\\.");
		for (int i = 0; i < Math.max(l.length, r.length); i++) {
			int difference = Integer.compare((i < l.length) ? Integer.parseInt(l[i]) : 0,
					(i < r.length) ? Integer.parseInt(r[i]) : 0);
			if (difference != 0) {
				return difference;
			}
		}
		return 0;
	}

	private static boolean isComplete(Path directory) {
		return Files.isExecutable(directory.resolve("initdb")) && Files.isExecutable(directory.resolve("pg_ctl"));
	}

	Path directory() {
		return this.directory;
	}

	String initdb() {
		return this.directory.resolve("initdb").toString();
	}

	String pgCtl() {
		return this.directory.resolve("pg_ctl").toString();
	}

	@Override
	public String toString() {
		return this.directory.toString();
	}

}
