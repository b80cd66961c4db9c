package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link PostgresBinaries}.
 */
class PostgresBinariesTests {

	@TempDir
	Path root;

	@Test
	void pgBinWinsOverEverythingElse() throws IOException {
		Path pgBin = binaries("custom");
		binaries("path");
		assertThat(PostgresBinaries.find(pgBin.toString(), this.root.resolve("path").toString(), this.root))
			.hasValueSatisfying((binaries) -> assertThat(binaries.directory()).isEqualTo(pgBin));
	}

	@Test
	void wrongPgBinIsAnErrorRatherThanAFallBack() throws IOException {
		Path path = binaries("path");
		assertThatIllegalStateException()
			.isThrownBy(
					() -> PostgresBinaries.find(this.root.resolve("missing").toString(), path.toString(), this.root))
			.withMessageContaining("PG_BIN");
	}

	@Test
	void pathComesBeforeTheDebianLocation() throws IOException {
		Path path = binaries("path");
		binaries("15/bin");
		assertThat(PostgresBinaries.find(null, "/nonexistent:" + path, this.root))
			.hasValueSatisfying((binaries) -> assertThat(binaries.directory()).isEqualTo(path));
	}

	@Test
	void highestDebianVersionIsPickedNumerically() throws IOException {
		binaries("9.6/bin");
		Path sixteen = binaries("16/bin");
		binaries("10/bin");
		assertThat(PostgresBinaries.find(null, "", this.root))
			.hasValueSatisfying((binaries) -> assertThat(binaries.directory()).isEqualTo(sixteen));
	}

	@Test
	void noBinariesIsEmpty() {
		assertThat(PostgresBinaries.find(null, "", this.root.resolve("missing"))).isEmpty();
	}

	private Path binaries(String location) throws IOException {
		Path directory = Files.createDirectories(this.root.resolve(location));
		for (String name : new String[] { "initdb", "pg_ctl" }) {
			Files.createFile(directory.resolve(name),
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		}
		return directory;
	}

}
