package dev.dbchaos.testpostgres;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for choosing a {@link ManagedPostgres} implementation.
 */
class ManagedPostgresTests {

	@Test
	void localModeCreatesALocalServerWithoutStartingIt() {
		try (ManagedPostgres postgres = ManagedPostgresFactory.create("local")) {
			assertThat(postgres).isInstanceOf(LocalManagedPostgres.class);
			assertThat(postgres.isRunning()).isFalse();
			assertThat(postgres.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
		}
	}

	@Test
	void unknownModeIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ManagedPostgresFactory.create("cloud"))
			.withMessageContaining("auto, local or container");
	}

}
