package dev.dbchaos.testdatabases;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OwnMariaDb}, on a real server, its callbacks called as JUnit calls
 * them.
 */
class OwnMariaDbTests {

	@Test
	void serverRunsFromBeforeAllAndIsGoneAfterAll() throws SQLException {
		OwnMariaDb mariadb = new OwnMariaDb();
		assertThat(mariadb.server().isRunning()).isFalse();
		mariadb.beforeAll(null);
		try {
			assertThat(answers(mariadb.server())).isTrue();
		}
		finally {
			mariadb.afterAll(null);
		}
		assertThat(mariadb.server().isRunning()).isFalse();
	}

	@Test
	void stoppedFrozenOrReadOnlyServerIsRunningAndWritableAgainAfterEachTest() throws SQLException {
		OwnMariaDb mariadb = new OwnMariaDb();
		mariadb.beforeAll(null);
		try {
			mariadb.server().stop();
			mariadb.afterEach(null);
			assertThat(answers(mariadb.server())).as("after a stop").isTrue();

			mariadb.server().freeze();
			mariadb.afterEach(null);
			assertThat(answers(mariadb.server())).as("after a freeze").isTrue();

			mariadb.server().setReadOnly(true);
			mariadb.afterEach(null);
			assertThat(mariadb.server().isReadOnly()).as("after read-only").isFalse();
		}
		finally {
			mariadb.afterAll(null);
		}
	}

	private static boolean answers(ManagedMariaDb server) throws SQLException {
		try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(),
				server.password());
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT 1")) {
			return rows.next() && rows.getInt(1) == 1;
		}
	}

}
