package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * A {@link DatabaseMetaData} that leads back to the wrappers, not to the driver's
 * objects: {@code getConnection()} returns the {@link ChaosConnection}, and the result
 * sets it hands out are wrapped, so that their statements lead there too. Everything else
 * is delegation, generated at build time into {@link DelegatingDatabaseMetaData}.
 */
class ChaosDatabaseMetaData extends DelegatingDatabaseMetaData {

	private final ChaosConnection connection;

	ChaosDatabaseMetaData(ChaosConnection connection, DatabaseMetaData delegate) {
		super(delegate);
		this.connection = connection;
	}

	/**
	 * Return whether this wraps the driver's metadata.
	 * @param metaData the driver's metadata
	 * @return whether it is this one's delegate
	 */
	boolean wraps(DatabaseMetaData metaData) {
		return metaData == this.delegate;
	}

	@Override
	protected @Nullable ResultSet wrapResultSet(@Nullable ResultSet resultSet) {
		return (resultSet != null) ? new ChaosResultSet(this.connection, null, resultSet, -1) : null;
	}

	@Override
	protected Connection wrapConnection(@Nullable Connection connection) {
		return this.connection;
	}

	/**
	 * Answer for this wrapper, or see through it to the driver's metadata.
	 */
	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return Unwrapping.unwrap(this, this.delegate, iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return Unwrapping.isWrapperFor(this, this.delegate, iface);
	}

	@Override
	public String toString() {
		return "ChaosDatabaseMetaData[" + this.delegate + "]";
	}

}
