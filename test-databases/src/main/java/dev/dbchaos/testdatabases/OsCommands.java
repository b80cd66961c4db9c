package dev.dbchaos.testdatabases;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operating system commands for {@link LocalManagedPostgres}.
 * <p>
 * PostgreSQL refuses to run as root, and test containers and CI machines often are root.
 * In that case every PostgreSQL binary runs through {@code runuser} as the
 * {@value #POSTGRES_USER} OS user, which must then own the directories it writes to.
 */
final class OsCommands {

	/** The OS user that PostgreSQL runs as when the JVM runs as root. */
	static final String POSTGRES_USER = "postgres";

	private static final Logger logger = LoggerFactory.getLogger(OsCommands.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final boolean root;

	private OsCommands(boolean root) {
		this.root = root;
	}

	static OsCommands detect() {
		String uid = run(List.of("id", "-u"), null, TIMEOUT).requireSuccess().output().trim();
		return new OsCommands("0".equals(uid));
	}

	boolean isRoot() {
		return this.root;
	}

	/**
	 * Run a PostgreSQL binary, as {@value #POSTGRES_USER} when we are root.
	 * @param command the command and its arguments
	 * @param directory the working directory; it must be readable by the PostgreSQL user
	 * because some binaries complain when they cannot get back to it
	 * @param timeout how long the command may take
	 * @return the result
	 */
	Result runPostgresBinary(List<String> command, Path directory, Duration timeout) {
		if (!this.root) {
			return run(command, directory, timeout);
		}
		List<String> asPostgres = new ArrayList<>(List.of("runuser", "-u", POSTGRES_USER, "--"));
		asPostgres.addAll(command);
		return run(asPostgres, directory, timeout);
	}

	/**
	 * Hand a directory we created to the PostgreSQL user (only needed as root), and make
	 * sure that user can reach it.
	 * @param directory the directory
	 */
	void giveToPostgres(Path directory) {
		if (!this.root) {
			return;
		}
		try {
			UserPrincipal postgres = directory.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName(POSTGRES_USER);
			Files.setOwner(directory, postgres);
			makeAncestorsTraversable(directory.toAbsolutePath());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not hand " + directory + " to OS user '" + POSTGRES_USER
					+ "' (PostgreSQL will not run as root, and needs that user to exist)", ex);
		}
	}

	private void makeAncestorsTraversable(Path directory) throws IOException {
		for (Path ancestor = directory.getParent(); ancestor != null; ancestor = ancestor.getParent()) {
			PosixFileAttributeView view = Files.getFileAttributeView(ancestor, PosixFileAttributeView.class);
			if (view == null) {
				return;
			}
			Set<PosixFilePermission> permissions = view.readAttributes().permissions();
			if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
				// Without search permission on every ancestor, the postgres user cannot
				// reach its data directory. Traversal only: nothing becomes listable.
				logger.warn("Adding o+x to {} so that OS user '{}' can reach {}", ancestor, POSTGRES_USER, directory);
				permissions.add(PosixFilePermission.OTHERS_EXECUTE);
				view.setPermissions(permissions);
			}
		}
	}

	/**
	 * Run a command as the current user.
	 * @param command the command and its arguments
	 * @param directory the working directory or {@code null} for the JVM's
	 * @param timeout how long the command may take
	 * @return the result
	 */
	static Result run(List<String> command, Path directory, Duration timeout) {
		return run(command, directory, Map.of(), timeout);
	}

	/**
	 * Run a command as the current user, with variables added to the JVM's environment.
	 * @param command the command and its arguments
	 * @param directory the working directory or {@code null} for the JVM's
	 * @param environment the variables to set
	 * @param timeout how long the command may take
	 * @return the result
	 */
	static Result run(List<String> command, Path directory, Map<String, String> environment, Duration timeout) {
		// Output goes to a file, not a pipe: a daemon started by the command (pg_ctl
		// start) could otherwise hold the pipe open and block us reading it.
		File output = null;
		try {
			output = File.createTempFile("dbchaos-pg-", ".out");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
			builder.environment().putAll(environment);
			if (directory != null) {
				builder.directory(directory.toFile());
			}
			Process process = builder.start();
			// Never let a child read the JVM's stdin (Surefire talks to its fork there).
			process.getOutputStream().close();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s running " + command);
			}
			return new Result(command, process.exitValue(),
					new String(Files.readAllBytes(output.toPath()), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
		finally {
			if (output != null) {
				output.delete();
			}
		}
	}

	/**
	 * The outcome of a command.
	 *
	 * @param command the command that ran
	 * @param exitCode its exit code
	 * @param output its standard output and error, interleaved
	 */
	record Result(List<String> command, int exitCode, String output) {

		boolean isSuccess() {
			return this.exitCode == 0;
		}

		Result requireSuccess() {
			if (!isSuccess()) {
				throw new IllegalStateException(
						"Command " + this.command + " failed with exit code " + this.exitCode + ": " + this.output);
			}
			return this;
		}

	}

}
