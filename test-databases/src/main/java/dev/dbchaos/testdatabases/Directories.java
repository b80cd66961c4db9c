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

/**
 * File system chores.
 */
final class Directories {

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

}
