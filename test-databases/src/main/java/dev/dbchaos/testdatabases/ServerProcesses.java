package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of a running PostgreSQL server: the postmaster, whose pid is the first
 * line of {@code postmaster.pid}, and the backends and auxiliary processes it forks.
 * <p>
 * Liveness is read from {@code /proc} where there is one, because a killed postmaster is
 * re-parented to init, which in a container may never reap it: a zombie must count as
 * dead.
 */
final class ServerProcesses {

	private static final Logger logger = LoggerFactory.getLogger(ServerProcesses.class);

	private static final Path PROC = Path.of("/proc");

	private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);

	private ServerProcesses() {
	}

	/**
	 * The pid recorded in the data directory's {@code postmaster.pid}, whether or not
	 * that process still exists.
	 * @param dataDirectory the data directory
	 * @return the pid, or empty when there is no (readable) pid file
	 */
	static OptionalLong recordedPid(Path dataDirectory) {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		try {
			List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
			return (lines.isEmpty() || lines.get(0).isBlank()) ? OptionalLong.empty()
					: OptionalLong.of(Long.parseLong(lines.get(0).trim()));
		}
		catch (IOException | NumberFormatException ex) {
			// Missing, or caught half-written by a starting postmaster.
			return OptionalLong.empty();
		}
	}

	/**
	 * The pid of the postmaster serving the data directory, if one is alive.
	 * @param dataDirectory the data directory
	 * @return the live postmaster's pid or empty
	 */
	static OptionalLong livePostmaster(Path dataDirectory) {
		OptionalLong pid = recordedPid(dataDirectory);
		return (pid.isPresent() && isPostmasterOf(pid.getAsLong(), dataDirectory)) ? pid : OptionalLong.empty();
	}

	/**
	 * Whether the process is alive and is a postmaster for the data directory (a stale
	 * pid file may name a recycled pid that belongs to something else entirely).
	 * @param pid the pid
	 * @param dataDirectory the data directory
	 * @return {@code true} if it is our live postmaster
	 */
	static boolean isPostmasterOf(long pid, Path dataDirectory) {
		if (!isAlive(pid)) {
			return false;
		}
		if (!Files.isDirectory(PROC)) {
			return ProcessHandle.of(pid)
				.flatMap((handle) -> handle.info().command())
				.map((command) -> command.endsWith("postgres") || command.endsWith("postmaster"))
				.orElse(false);
		}
		try {
			// The postmaster's working directory is its data directory.
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
	 * Stop the postmaster, then its descendants. The postmaster goes first so that it
	 * cannot fork a process we would miss.
	 * @param postmaster the postmaster pid
	 */
	static void freeze(long postmaster) {
		signal("STOP", List.of(postmaster));
		signal("STOP", descendants(postmaster));
	}

	/**
	 * Continue the descendants, then the postmaster.
	 * @param postmaster the postmaster pid
	 */
	static void thaw(long postmaster) {
		signal("CONT", descendants(postmaster));
		signal("CONT", List.of(postmaster));
	}

	/**
	 * Kill the postmaster and its descendants the way a crash would: no shutdown, no
	 * checkpoint. The postmaster is stopped first so that it forks nothing new while its
	 * children are collected, and SIGKILL works on stopped processes.
	 * @param postmaster the postmaster pid
	 * @return every pid that was signalled
	 */
	static List<Long> kill(long postmaster) {
		signal("STOP", List.of(postmaster));
		List<Long> all = new ArrayList<>(descendants(postmaster));
		all.add(postmaster);
		signal("KILL", all);
		return all;
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
			// A backend may exit between listing and signalling: not an error.
			logger.debug("kill -s {} {} reported: {}", signal, pids, result.output().trim());
		}
	}

}
