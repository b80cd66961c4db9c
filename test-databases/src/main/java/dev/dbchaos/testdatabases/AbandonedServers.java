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
 * Default server directories are named {@code <prefix>-<jvm pid>-<n>} ({@code pg-...},
 * {@code mariadb-...}, {@code rabbitmq-...}). One whose JVM no longer exists is
 * abandoned: its server, if one survived, is killed and the directory deleted, so that
 * neither processes nor data accumulate across runs.
 */
final class AbandonedServers {

	/** The directories of {@link LocalManagedPostgres}. */
	static final AbandonedServers POSTGRES = new AbandonedServers("pg",
			Path.of(LocalManagedPostgres.DATA_DIRECTORY, LocalManagedPostgres.PID_FILE));

	/** The directories of {@link LocalManagedMariaDb}. */
	static final AbandonedServers MARIADB = new AbandonedServers("mariadb",
			Path.of(LocalManagedMariaDb.DATA_DIRECTORY, LocalManagedMariaDb.PID_FILE));

	/** The directories of {@link ManagedRabbitMq}. */
	static final AbandonedServers RABBITMQ = new AbandonedServers("rabbitmq", Path.of(ManagedRabbitMq.PID_FILE));

	private static final Logger logger = LoggerFactory.getLogger(AbandonedServers.class);

	private final String prefix;

	private final Pattern name;

	private final Path pidFile;

	/**
	 * Describe the directories of one kind of server.
	 * @param prefix what their names start with
	 * @param pidFile where in such a directory the server's pid file is
	 */
	AbandonedServers(String prefix, Path pidFile) {
		this.prefix = prefix;
		this.name = Pattern.compile(Pattern.quote(prefix) + "-(\\d+)-\\d+");
		this.pidFile = pidFile;
	}

	String directoryName(long ownerPid, int sequence) {
		return this.prefix + "-" + ownerPid + "-" + sequence;
	}

	void sweep(Path root) {
		if (!Files.isDirectory(root)) {
			return;
		}
		List<Path> abandoned;
		try (Stream<Path> children = Files.list(root)) {
			abandoned = children.filter(this::isAbandoned).collect(Collectors.toList());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + root, ex);
		}
		abandoned.forEach(this::remove);
	}

	private boolean isAbandoned(Path directory) {
		Matcher matcher = this.name.matcher(directory.getFileName().toString());
		return Files.isDirectory(directory) && matcher.matches()
				&& !ServerProcesses.isAlive(Long.parseLong(matcher.group(1)));
	}

	private void remove(Path directory) {
		ServerProcesses.liveServer(directory.resolve(this.pidFile)).ifPresent((pid) -> {
			logger.warn("Killing the server (pid {}) abandoned by a JVM that died in {}", pid, directory);
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
