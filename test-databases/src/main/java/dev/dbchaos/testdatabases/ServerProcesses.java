package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of a running server: the main process, whose pid is the first line of a
 * pid file in its data directory (PostgreSQL's {@code postmaster.pid}, MariaDB's
 * {@code --pid-file}), and whatever it forks (PostgreSQL's backends; MariaDB forks
 * nothing, its sessions are threads).
 * <p>
 * Liveness is read from {@code /proc} where there is one, because a killed postmaster is
 * re-parented to init, which in a container may never reap it: a zombie must count as
 * dead.
 */
final class ServerProcesses {

	private static final Logger logger = LoggerFactory.getLogger(ServerProcesses.class);

	private static final Path PROC = Path.of("/proc");

	private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);

	// Where there is no /proc to read a working directory from, the command must do.
	private static final List<String> SERVER_COMMANDS = List.of("postgres", "postmaster", "mariadbd", "mysqld");

	private ServerProcesses() {
	}

	/**
	 * The pid recorded in a pid file, whether or not that process still exists.
	 * @param pidFile the pid file
	 * @return the pid, or empty when there is no (readable) pid file
	 */
	static OptionalLong recordedPid(Path pidFile) {
		try {
			List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
			return (lines.isEmpty() || lines.get(0).isBlank()) ? OptionalLong.empty()
					: OptionalLong.of(Long.parseLong(lines.get(0).trim()));
		}
		catch (IOException | NumberFormatException ex) {
			// Missing, or caught half-written by a starting server.
			return OptionalLong.empty();
		}
	}

	/**
	 * The pid of the server that a pid file in its data directory names, if that server
	 * is alive.
	 * @param pidFile the pid file, directly in the server's data directory
	 * @return the live server's pid or empty
	 */
	static OptionalLong liveServer(Path pidFile) {
		OptionalLong pid = recordedPid(pidFile);
		return (pid.isPresent() && isServerOf(pid.getAsLong(), pidFile.toAbsolutePath().getParent())) ? pid
				: OptionalLong.empty();
	}

	/**
	 * Whether the process is alive and is a server for the data directory (a stale pid
	 * file may name a recycled pid that belongs to something else entirely).
	 * @param pid the pid
	 * @param dataDirectory the data directory
	 * @return {@code true} if it is our live server
	 */
	static boolean isServerOf(long pid, Path dataDirectory) {
		if (!isAlive(pid)) {
			return false;
		}
		if (!Files.isDirectory(PROC)) {
			return ProcessHandle.of(pid)
				.flatMap((handle) -> handle.info().command())
				.map((command) -> SERVER_COMMANDS.stream().anyMatch(command::endsWith))
				.orElse(false);
		}
		try {
			// PostgreSQL and MariaDB both work in their data directory.
			Path cwd = Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("cwd"));
			return cwd.equals(dataDirectory.toRealPath());
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Whether the process exists and is not a zombie.
	 * @param pid the pid
	 * @return {@code true} if alive
	 */
	static boolean isAlive(long pid) {
		if (!Files.isDirectory(PROC)) {
			return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
		}
		try {
			String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
			// "pid (comm) S ...": the command may contain spaces and parentheses.
			char state = stat.charAt(stat.lastIndexOf(')') + 2);
			return state != 'Z' && state != 'X' && state != 'x';
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Stop the server, then its descendants, and wait until all of their threads have
	 * stopped. The server goes first so that it cannot fork a process we would miss.
	 * @param server the server's pid
	 */
	static void freeze(long server) {
		signal("STOP", List.of(server));
		List<Long> descendants = descendants(server);
		signal("STOP", descendants);
		List<Long> all = new ArrayList<>(descendants);
		all.add(server);
		awaitStopped(all);
	}

	/**
	 * Wait until every thread of the processes has stopped. {@code kill} returns once the
	 * signal is queued; the stop reaches a process's threads only as one of them takes
	 * the signal, and until then a thread already awake (MariaDB's sessions are threads)
	 * may still answer a query sent after the freeze.
	 * @param pids the processes
	 */
	private static void awaitStopped(List<Long> pids) {
		if (!Files.isDirectory(PROC)) {
			return;
		}
		Poll.until("processes " + pids + " stopped", SIGNAL_TIMEOUT,
				() -> pids.stream().allMatch(ServerProcesses::everyThreadStopped));
	}

	private static boolean everyThreadStopped(long pid) {
		try (Stream<Path> tasks = Files.list(PROC.resolve(Long.toString(pid)).resolve("task"))) {
			return tasks.allMatch((task) -> {
				char state = threadState(task.resolve("stat"));
				// T: stopped; t: traced; X/Z or gone: nothing left to answer.
				return state == 'T' || state == 't' || state == 'X' || state == 'Z' || state == '?';
			});
		}
		catch (IOException | UncheckedIOException ex) {
			// The process is gone.
			return true;
		}
	}

	private static char threadState(Path stat) {
		try {
			String line = Files.readString(stat, StandardCharsets.UTF_8);
			// pid (comm) state ...: the command may hold spaces and parentheses.
			int end = line.lastIndexOf(')');
			return (end >= 0 && end + 2 < line.length()) ? line.charAt(end + 2) : '?';
		}
		catch (IOException ex) {
			return '?';
		}
	}

	/**
	 * Continue the descendants, then the server.
	 * @param server the server's pid
	 */
	static void thaw(long server) {
		signal("CONT", descendants(server));
		signal("CONT", List.of(server));
	}

	/**
	 * Kill the server and its descendants the way a crash would: no shutdown, no
	 * checkpoint. The server is stopped first so that it forks nothing new while its
	 * children are collected, and SIGKILL works on stopped processes.
	 * @param server the server's pid
	 * @return every pid that was signalled
	 */
	static List<Long> kill(long server) {
		signal("STOP", List.of(server));
		List<Long> all = new ArrayList<>(descendants(server));
		all.add(server);
		signal("KILL", all);
		return all;
	}

	/**
	 * Ask the server to shut down cleanly (SIGTERM), as a service manager does.
	 * @param server the server's pid
	 */
	static void terminate(long server) {
		signal("TERM", List.of(server));
	}

	static List<Long> descendants(long pid) {
		return ProcessHandle.of(pid)
			.map((handle) -> handle.descendants().map(ProcessHandle::pid).collect(Collectors.toList()))
			.orElse(List.of());
	}

	private static void signal(String signal, Collection<Long> pids) {
		if (pids.isEmpty()) {
			return;
		}
		List<String> command = new ArrayList<>(List.of("kill", "-s", signal));
		pids.forEach((pid) -> command.add(Long.toString(pid)));
		OsCommands.Result result = OsCommands.run(command, null, SIGNAL_TIMEOUT);
		if (!result.isSuccess()) {
			// A child may exit between listing and signalling: not an error.
			logger.debug("kill -s {} {} reported: {}", signal, pids, result.output().trim());
		}
	}

}
