package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a server whose JVM died without running its shutdown hooks (SIGKILL, a Surefire
 * fork timeout, an IDE's stop button).
 * <p>
 * A small shell process blocks reading a pipe whose only writer is this JVM. The kernel
 * closes the pipe however the JVM ends, the read returns, and the shell SIGKILLs the
 * server recorded in the pid file, and its children. After an orderly {@code close()} of
 * the server ({@link LocalManagedPostgres}, {@link LocalManagedMariaDb}) there is no pid
 * file left and it simply exits. No polling, and nothing to configure.
 */
final class OrphanWatchdog implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(OrphanWatchdog.class);

	// $1 is the pid file, $2 the data directory holding it: the server's working
	// directory, which guards against a recycled pid.
	private static final String SCRIPT = """
			cat > /dev/null
			pid=$(head -n 1 "$1" 2>/dev/null)
			[ -n "$pid" ] || exit 0
			if [ -d "/proc/$pid" ]; then
				[ "$(readlink "/proc/$pid/cwd")" = "$2" ] || exit 0
			fi
			kill -STOP "$pid" 2>/dev/null
			kill -KILL $(pgrep -P "$pid" 2>/dev/null) "$pid" 2>/dev/null
			exit 0
			""";

	private final Process process;

	private OrphanWatchdog(Process process) {
		this.process = process;
	}

	/**
	 * Start watching over the server whose pid file is given.
	 * @param pidFile the server's pid file, directly in its data directory, which must
	 * exist
	 * @return the watchdog
	 */
	static OrphanWatchdog start(Path pidFile) {
		Path dataDirectory = pidFile.toAbsolutePath().getParent();
		try {
			Path realDataDirectory = dataDirectory.toRealPath();
			Process process = new ProcessBuilder("sh", "-c", SCRIPT, "dbchaos-server-watchdog",
					realDataDirectory.resolve(pidFile.getFileName()).toString(), realDataDirectory.toString())
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			return new OrphanWatchdog(process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the watchdog for " + dataDirectory, ex);
		}
	}

	/**
	 * Release the watchdog. Only call once the server is down: it kills whatever server
	 * it still finds.
	 */
	@Override
	public void close() {
		try {
			this.process.getOutputStream().close();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (IOException ex) {
			logger.debug("Could not release the watchdog", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
