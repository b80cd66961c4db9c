package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after JVMs that died without closing their servers.
 * <p>
 * Default server directories are named {@code pg-<jvm pid>-<n>}. One whose JVM no longer
 * exists is abandoned: its server, if one survived, is killed and the directory deleted,
 * so that neither processes nor data accumulate across runs.
 */
final class AbandonedServers {

	private static final Logger logger = LoggerFactory.getLogger(AbandonedServers.class);

	private static final Pattern NAME = Pattern.compile("pg-(\\d+)-\\d+");

	private AbandonedServers() {
	}

	static String directoryName(long ownerPid, int sequence) {
		return "pg-" + ownerPid + "-" + sequence;
	}

	static void sweep(Path root) {
		if (!Files.isDirectory(root)) {
			return;
		}
		List<Path> abandoned;
		try (Stream<Path> children = Files.list(root)) {
			abandoned = children.filter(AbandonedServers::isAbandoned).collect(Collectors.toList());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + root, ex);
		}
		abandoned.forEach(AbandonedServers::remove);
	}

	private static boolean isAbandoned(Path directory) {
		Matcher matcher = NAME.matcher(directory.getFileName().toString());
		return Files.isDirectory(directory) && matcher.matches()
				&& !ServerProcesses.isAlive(Long.parseLong(matcher.group(1)));
	}

	private static void remove(Path directory) {
		Path dataDirectory = directory.resolve(LocalManagedPostgres.DATA_DIRECTORY);
		ServerProcesses.livePostmaster(dataDirectory).ifPresent((pid) -> {
			logger.warn("Killing PostgreSQL (pid {}) abandoned by a JVM that died in {}", pid, directory);
			ServerProcesses.kill(pid);
		});
		try {
			Directories.deleteRecursively(directory);
		}
		catch (UncheckedIOException ex) {
			logger.warn("Could not delete abandoned {}", directory, ex);
		}
	}

}
