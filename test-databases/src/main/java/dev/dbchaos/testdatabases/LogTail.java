package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The last lines of a server log.
 */
final class LogTail {

	// Enough to show why a server failed to start or stop, short enough for a test
	// report.
	private static final int LINES_IN_FAILURES = 20;

	private LogTail() {
	}

	/**
	 * Return a failure of a server with the last lines of its log, which say why.
	 * @param file the server's log
	 * @param message what failed
	 * @param cause the cause, or {@code null}
	 * @return the failure
	 */
	static IllegalStateException failure(Path file, String message, Exception cause) {
		return new IllegalStateException(
				message + "\n--- last lines of " + file + " ---\n" + of(file, LINES_IN_FAILURES), cause);
	}

	static String of(Path file, int lines) {
		try {
			// Leniently decoded: a log may quote client input in any encoding.
			return of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), lines);
		}
		catch (NoSuchFileException ex) {
			return "";
		}
		catch (IOException ex) {
			return "(could not read " + file + ": " + ex + ")";
		}
	}

	static String of(String log, int lines) {
		if (lines <= 0 || log.isEmpty()) {
			return "";
		}
		String[] all = log.split("\\R");
		return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
	}

}
