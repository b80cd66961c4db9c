package dev.dbchaos.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.dbchaos.testdatabases.ManagedDatabase;

/**
 * A direct line to the shop's database, beneath the fault proxy and outside the shop's
 * pool: what a scenario asserts about the data must not itself be failed, delayed or
 * counted by the faults it injects, nor take a connection from the pool whose leaks it
 * checks.
 */
public final class ShopDatabase {

	private final ManagedDatabase server;

	private final String jdbcUrl;

	public ShopDatabase(ManagedDatabase server, String jdbcUrl) {
		this.server = server;
		this.jdbcUrl = jdbcUrl;
	}

	public long queryForLong(String sql, Object... args) {
		List<List<Object>> rows = query(sql, args);
		return ((Number) rows.get(0).get(0)).longValue();
	}

	/**
	 * Run a query.
	 * @param sql the query
	 * @param args its parameters
	 * @return the rows, each a list of column values
	 */
	public List<List<Object>> query(String sql, Object... args) {
		try (Connection connection = connect();
				PreparedStatement statement = prepare(connection, sql, args);
				ResultSet rs = statement.executeQuery()) {
			List<List<Object>> rows = new ArrayList<>();
			int columns = rs.getMetaData().getColumnCount();
			while (rs.next()) {
				List<Object> row = new ArrayList<>(columns);
				for (int column = 1; column <= columns; column++) {
					row.add(rs.getObject(column));
				}
				rows.add(row);
			}
			return rows;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql, ex);
		}
	}

	/**
	 * Run a statement that changes something.
	 * @param sql the statement
	 * @param args its parameters
	 * @return the update count
	 */
	public int update(String sql, Object... args) {
		try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, args)) {
			return statement.executeUpdate();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql, ex);
		}
	}

	private Connection connect() throws SQLException {
		Connection connection = DriverManager.getConnection(this.jdbcUrl, this.server.username(),
				this.server.password());
		// A read-only PostgreSQL database (one scenario makes it so) must not stop the
		// test's own set-up. A read-only MariaDB server binds every session alike: the
		// scenarios write nothing while it is read-only.
		if (this.jdbcUrl.startsWith("jdbc:postgresql:")) {
			try (var statement = connection.createStatement()) {
				statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
			}
		}
		return connection;
	}

	private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < args.length; i++) {
			statement.setObject(i + 1, args[i]);
		}
		return statement;
	}

}
