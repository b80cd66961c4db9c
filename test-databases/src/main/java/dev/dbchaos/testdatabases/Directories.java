package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File system chores.
 */
final class Directories {

	private static final Logger logger = LoggerFactory.getLogger(Directories.class);

	private Directories() {
	}

	/**
	 * Delete a directory and everything in it, if it exists.
	 * @param directory the directory
	 */
	static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		List<Path> paths;
		try (Stream<Path> walk = Files.walk(directory)) {
			paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list " + directory, ex);
		}
		for (Path path : paths) {
			deleteIfExists(path);
		}
	}

	/**
	 * Delete a file if it exists.
	 * @param path the file
	 */
	static void deleteIfExists(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (NoSuchFileException ex) {
			// Gone meanwhile: that is what we wanted.
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete " + path, ex);
		}
	}

	/**
	 * Delete a directory and everything in it, as {@link #deleteRecursively(Path)} does,
	 * logging rather than throwing when that fails: for a server's clean-up, which must
	 * go on to release what else it holds.
	 * @param directory the directory
	 */
	static void deleteQuietly(Path directory) {
		try {
			deleteRecursively(directory);
		}
		catch (UncheckedIOException ex) {
			logger.warn("Could not delete {}", directory, ex);
		}
	}

}
