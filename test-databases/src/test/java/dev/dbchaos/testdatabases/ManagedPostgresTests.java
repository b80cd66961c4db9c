package dev.dbchaos.testdatabases;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for choosing a {@link ManagedPostgres} implementation.
 */
class ManagedPostgresTests {

	@Test
	void localModeCreatesALocalServerWithoutStartingIt() {
		try (ManagedPostgres postgres = ManagedServerFactory.POSTGRES.create("local")) {
			assertThat(postgres).isInstanceOf(LocalManagedPostgres.class);
			assertThat(postgres.isRunning()).isFalse();
			assertThat(postgres.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
		}
	}

	@Test
	void containerModeNeedsADockerEngineAndSaysSoWhenThereIsNone() {
		// Testcontainers is on this module's test class path, as on every module's the
		// nightly
		// run selects; whether a Docker engine answers depends on the machine.
		assertThat(ManagedServerFactory.POSTGRES.isTestcontainersPresent()).isTrue();
		if (Testcontainers.isDockerAvailable()) {
			try (ManagedPostgres postgres = ManagedServerFactory.POSTGRES.create("container")) {
				assertThat(postgres).isInstanceOf(ContainerManagedPostgres.class);
			}
		}
		else {
			assertThatIllegalStateException().isThrownBy(() -> ManagedServerFactory.POSTGRES.create("container"))
				.withMessageContaining("container but no Docker engine answers");
		}
	}

	@Test
	void unknownModeIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ManagedServerFactory.POSTGRES.create("cloud"))
			.withMessageContaining("auto, local or container");
	}

}
