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
 * Tests for {@link RabbitMqBinaries}.
 */
class RabbitMqBinariesTests {

	@TempDir
	Path root;

	@Test
	void rabbitmqBinWinsOverTheDistributionDirectory() throws IOException {
		Path rabbitmqBin = binaries("custom", "rabbitmq-server");
		Path distribution = binaries("lib", "rabbitmq-server");
		Path erlang = binaries("erlang", "epmd");
		assertThat(RabbitMqBinaries.find(rabbitmqBin.toString(), "", distribution, List.of(erlang)))
			.hasValueSatisfying((binaries) -> {
				assertThat(binaries.server()).isEqualTo(rabbitmqBin.resolve("rabbitmq-server"));
				assertThat(binaries.epmd()).isEqualTo(erlang.resolve("epmd"));
			});
	}

	@Test
	void wrongRabbitmqBinIsAnErrorRatherThanAFallBack() throws IOException {
		Path distribution = binaries("lib", "rabbitmq-server");
		Path empty = binaries("empty");
		assertThatIllegalStateException()
			.isThrownBy(() -> RabbitMqBinaries.find(empty.toString(), "", distribution, List.of()))
			.withMessageContaining("RABBITMQ_BIN");
	}

	@Test
	void theServerOnThePathIsNotUsedBecauseDebiansWrapperRunsTheSystemsNode() throws IOException {
		Path sbin = binaries("sbin", "rabbitmq-server", "epmd");
		assertThat(RabbitMqBinaries.find(null, sbin.toString(), this.root.resolve("missing"), List.of())).isEmpty();
	}

	@Test
	void epmdOnThePathComesBeforeTheErlangDirectories() throws IOException {
		Path distribution = binaries("lib", "rabbitmq-server");
		Path path = binaries("path", "epmd");
		Path erlang = binaries("erlang", "epmd");
		assertThat(RabbitMqBinaries.find(null, "/nonexistent:" + path, distribution, List.of(erlang)))
			.hasValueSatisfying((binaries) -> assertThat(binaries.epmd()).isEqualTo(path.resolve("epmd")));
	}

	@Test
	void aServerWithoutEpmdIsNoBroker() throws IOException {
		Path distribution = binaries("lib", "rabbitmq-server");
		assertThat(RabbitMqBinaries.find(null, "", distribution, List.of(this.root.resolve("missing")))).isEmpty();
	}

	private Path binaries(String directory, String... names) throws IOException {
		Path dir = Files.createDirectories(this.root.resolve(directory));
		for (String name : names) {
			Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
		return dir;
	}

}
