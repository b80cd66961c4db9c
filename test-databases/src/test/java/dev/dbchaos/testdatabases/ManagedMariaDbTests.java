package dev.dbchaos.testdatabases;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for choosing a {@link ManagedMariaDb} implementation, and for the shared one.
 */
class ManagedMariaDbTests {

	@Test
	void localModeCreatesALocalServerWithoutStartingIt() {
		try (ManagedMariaDb mariadb = ManagedServerFactory.MARIADB.create("local")) {
			assertThat(mariadb).isInstanceOf(LocalManagedMariaDb.class);
			assertThat(mariadb.isRunning()).isFalse();
			assertThat(mariadb.jdbcUrl()).startsWith("jdbc:mariadb://127.0.0.1:");
		}
	}

	@Test
	void containerModeNeedsADockerEngineAndSaysSoWhenThereIsNone() {
		// Testcontainers' MariaDB module is on this module's test class path; whether a
		// Docker engine answers depends on the machine.
		assertThat(ManagedServerFactory.MARIADB.isTestcontainersPresent()).isTrue();
		if (Testcontainers.isDockerAvailable()) {
			try (ManagedMariaDb mariadb = ManagedServerFactory.MARIADB.create("container")) {
				assertThat(mariadb).isInstanceOf(ContainerManagedMariaDb.class);
			}
		}
		else {
			assertThatIllegalStateException().isThrownBy(() -> ManagedServerFactory.MARIADB.create("container"))
				.withMessageContaining("container but no Docker engine answers");
		}
	}

	@Test
	void unknownModeIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ManagedServerFactory.MARIADB.create("cloud"))
			.withMessageContaining("auto, local or container");
	}

	@Test
	void sharedServerOutlivesCloseAndComesBackRunningAndWritable() {
		ManagedMariaDb shared = ManagedMariaDb.shared();
		shared.setReadOnly(true);
		shared.close();
		assertThat(shared.isRunning()).isTrue();
		shared.stop();
		assertThat(ManagedMariaDb.shared()).isSameAs(shared);
		assertThat(shared.isRunning()).isTrue();
		assertThat(shared.isReadOnly()).isFalse();
	}

}
