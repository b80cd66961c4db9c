package dev.dbchaos.testdatabases;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OwnPostgres}, on a real server, its callbacks called as JUnit calls
 * them.
 */
class OwnPostgresTests {

	@Test
	void serverRunsFromBeforeAllAndIsGoneAfterAll() throws SQLException {
		OwnPostgres postgres = new OwnPostgres();
		assertThat(postgres.server().isRunning()).isFalse();
		postgres.beforeAll(null);
		try {
			assertThat(answers(postgres.server())).isTrue();
		}
		finally {
			postgres.afterAll(null);
		}
		assertThat(postgres.server().isRunning()).isFalse();
	}

	@Test
	void stoppedOrFrozenServerIsRunningAgainAfterEachTest() throws SQLException {
		OwnPostgres postgres = new OwnPostgres();
		postgres.beforeAll(null);
		try {
			postgres.server().stop();
			postgres.afterEach(null);
			assertThat(answers(postgres.server())).as("after a stop").isTrue();

			postgres.server().freeze();
			postgres.afterEach(null);
			assertThat(answers(postgres.server())).as("after a freeze").isTrue();
		}
		finally {
			postgres.afterAll(null);
		}
	}

	private static boolean answers(ManagedPostgres server) throws SQLException {
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(),
				server.password());
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT 1")) {
			return rows.next() && rows.getInt(1) == 1;
		}
	}

}
