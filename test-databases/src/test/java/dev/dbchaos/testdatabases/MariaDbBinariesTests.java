package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link MariaDbBinaries}.
 */
class MariaDbBinariesTests {

	@TempDir
	Path root;

	@Test
	void mariadbBinWinsOverEverythingElse() throws IOException {
		Path mariadbBin = binaries("custom", "mariadbd", "mariadb-install-db");
		Path path = binaries("path", "mariadbd", "mariadb-install-db");
		assertThat(MariaDbBinaries.find(mariadbBin.toString(), path.toString(), List.of()))
			.hasValueSatisfying((binaries) -> {
				assertThat(binaries.server()).isEqualTo(mariadbBin.resolve("mariadbd"));
				assertThat(binaries.installDb()).isEqualTo(mariadbBin.resolve("mariadb-install-db"));
			});
	}

	@Test
	void wrongMariadbBinIsAnErrorRatherThanAFallBack() throws IOException {
		Path path = binaries("path", "mariadbd", "mariadb-install-db");
		Path serverOnly = binaries("server-only", "mariadbd");
		assertThatIllegalStateException()
			.isThrownBy(() -> MariaDbBinaries.find(serverOnly.toString(), path.toString(), List.of()))
			.withMessageContaining("MARIADB_BIN");
	}

	@Test
	void pathComesBeforeTheDistributionDirectories() throws IOException {
		Path path = binaries("path", "mariadbd", "mariadb-install-db");
		Path sbin = binaries("sbin", "mariadbd", "mariadb-install-db");
		assertThat(MariaDbBinaries.find(null, "/nonexistent:" + path, List.of(sbin)))
			.hasValueSatisfying((binaries) -> assertThat(binaries.server()).isEqualTo(path.resolve("mariadbd")));
	}

	@Test
	void serverAndInstallerMayLiveInDifferentDirectoriesAsOnDebian() throws IOException {
		Path sbin = binaries("sbin", "mariadbd");
		Path bin = binaries("bin", "mariadb-install-db");
		assertThat(MariaDbBinaries.find(null, "", List.of(sbin, bin))).hasValueSatisfying((binaries) -> {
			assertThat(binaries.server()).isEqualTo(sbin.resolve("mariadbd"));
			assertThat(binaries.installDb()).isEqualTo(bin.resolve("mariadb-install-db"));
		});
	}

	@Test
	void aServerWithoutTheInstallerIsNoServer() throws IOException {
		Path sbin = binaries("sbin", "mariadbd");
		assertThat(MariaDbBinaries.find(null, "", List.of(sbin))).isEmpty();
	}

	@Test
	void noBinariesIsEmpty() {
		assertThat(MariaDbBinaries.find(null, "", List.of(this.root.resolve("missing")))).isEmpty();
	}

	private Path binaries(String location, String... names) throws IOException {
		Path directory = Files.createDirectories(this.root.resolve(location));
		for (String name : names) {
			Files.createFile(directory.resolve(name),
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		}
		return directory;
	}

}
