package dev.dbchaos.jdbc;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;

import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A physical {@link Connection} that asks the fault engine before it reaches the server. When an
 * outage rule hits it, it behaves as a connection whose server went away: it is closed, reports
 * itself closed and invalid, and every later use fails with SQLState 08003.
 *
 * @author dbchaos
 */
class ChaosConnection implements Connection {

	private final Connection delegate;

	private final FaultInjector injector;

	private static final int OPEN = 0;

	// A full outage began while the connection was open: its next use finds the server gone.
	private static final int SERVER_GONE = 1;

	private static final int TERMINATED = 2;

	// One field, so that every call still pays a single volatile read.
	private volatile int state = OPEN;

	ChaosConnection(Connection delegate, FaultInjector injector) {
		this.delegate = delegate;
		this.injector = injector;
	}

	Connection getDelegate() {
		return this.delegate;
	}

	/**
	 * Cut the connection as a server shutdown or a network failure would: the physical
	 * connection is closed, which makes the server roll back any open transaction.
	 */
	void terminate() {
		this.state = TERMINATED;
		this.injector.forget(this);
		try {
			this.delegate.close();
		}
		catch (SQLException ex) {
			// Already broken, which is what we wanted.
		}
	}

	/**
	 * Record that the server went away while this connection was open, as a real shutdown
	 * ends every session at once: the next use fails even if the outage has ended by then.
	 * Called from the thread that started the outage, so nothing is closed here: the owner
	 * may be in the middle of a call.
	 */
	void serverWentAway() {
		if (this.state == OPEN) {
			this.state = SERVER_GONE;
		}
	}

	void checkOpen() throws SQLException {
		int current = this.state;
		if (current != OPEN) {
			if (current == SERVER_GONE) {
				terminate();
				throw this.injector.failures().serverShutdown();
			}
			throw this.injector.failures().connectionClosed();
		}
	}

	void beforeQuery(String sql) throws SQLException {
		checkOpen();
		this.injector.beforeStatement(this, sql, ExecutionKind.QUERY);
	}

	void beforeUpdate(String sql) throws SQLException {
		checkOpen();
		this.injector.beforeStatement(this, sql, ExecutionKind.UPDATE);
	}

	void beforeExecute(String sql) throws SQLException {
		checkOpen();
		this.injector.beforeStatement(this, sql, ExecutionKind.EXECUTE);
	}

	void beforeBatch(String sql) throws SQLException {
		checkOpen();
		this.injector.beforeStatement(this, sql, ExecutionKind.BATCH);
	}

	@Override
	public Statement createStatement() throws SQLException {
		checkOpen();
		return new ChaosStatement(this, this.delegate.createStatement());
	}

	@Override
	public PreparedStatement prepareStatement(String sql) throws SQLException {
		checkOpen();
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql), sql);
	}

	@Override
	public CallableStatement prepareCall(String sql) throws SQLException {
		checkOpen();
		return new ChaosCallableStatement(this, this.delegate.prepareCall(sql), sql);
	}

	@Override
	public String nativeSQL(String sql) throws SQLException {
		checkOpen();
		return this.delegate.nativeSQL(sql);
	}

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		checkOpen();
		this.delegate.setAutoCommit(autoCommit);
	}

	@Override
	public boolean getAutoCommit() throws SQLException {
		checkOpen();
		return this.delegate.getAutoCommit();
	}

	@Override
	public void commit() throws SQLException {
		checkOpen();
		try {
			this.injector.beforeCommit(this);
		}
		catch (SQLException ex) {
			endTransaction();
			throw ex;
		}
		this.delegate.commit();
	}

	@Override
	public void rollback() throws SQLException {
		checkOpen();
		try {
			this.injector.beforeRollback(this);
		}
		catch (SQLException ex) {
			endTransaction();
			throw ex;
		}
		this.delegate.rollback();
	}

	/**
	 * A failed COMMIT or ROLLBACK never leaves the transaction open on a real server: PostgreSQL
	 * rolls it back. An injected failure must not leave it open either, or whoever later
	 * restores auto-commit (the pool, the transaction manager) would commit it halfway.
	 */
	private void endTransaction() {
		if (this.state == TERMINATED) {
			// The physical connection is closed, so the server has rolled back already.
			return;
		}
		try {
			if (!this.delegate.getAutoCommit()) {
				this.delegate.rollback();
			}
		}
		catch (SQLException ex) {
			// The connection is broken after all, which rolls the transaction back too.
		}
	}

	@Override
	public void close() throws SQLException {
		this.injector.forget(this);
		this.delegate.close();
	}

	@Override
	public boolean isClosed() throws SQLException {
		return this.state == TERMINATED || this.delegate.isClosed();
	}

	@Override
	public DatabaseMetaData getMetaData() throws SQLException {
		checkOpen();
		return this.delegate.getMetaData();
	}

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		checkOpen();
		this.delegate.setReadOnly(readOnly);
	}

	@Override
	public boolean isReadOnly() throws SQLException {
		checkOpen();
		return this.delegate.isReadOnly();
	}

	@Override
	public void setCatalog(String catalog) throws SQLException {
		checkOpen();
		this.delegate.setCatalog(catalog);
	}

	@Override
	public String getCatalog() throws SQLException {
		checkOpen();
		return this.delegate.getCatalog();
	}

	@Override
	public void setTransactionIsolation(int level) throws SQLException {
		checkOpen();
		this.delegate.setTransactionIsolation(level);
	}

	@Override
	public int getTransactionIsolation() throws SQLException {
		checkOpen();
		return this.delegate.getTransactionIsolation();
	}

	@Override
	public SQLWarning getWarnings() throws SQLException {
		checkOpen();
		return this.delegate.getWarnings();
	}

	@Override
	public void clearWarnings() throws SQLException {
		checkOpen();
		this.delegate.clearWarnings();
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
		checkOpen();
		return new ChaosStatement(this, this.delegate.createStatement(resultSetType, resultSetConcurrency));
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
		checkOpen();
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), sql);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
		checkOpen();
		return new ChaosCallableStatement(this, this.delegate.prepareCall(sql, resultSetType, resultSetConcurrency), sql);
	}

	@Override
	public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
		checkOpen();
		return this.delegate.getTypeMap();
	}

	@Override
	public void setTypeMap(java.util.Map<String, Class<?>> map) throws SQLException {
		checkOpen();
		this.delegate.setTypeMap(map);
	}

	@Override
	public void setHoldability(int holdability) throws SQLException {
		checkOpen();
		this.delegate.setHoldability(holdability);
	}

	@Override
	public int getHoldability() throws SQLException {
		checkOpen();
		return this.delegate.getHoldability();
	}

	@Override
	public Savepoint setSavepoint() throws SQLException {
		checkOpen();
		return this.delegate.setSavepoint();
	}

	@Override
	public Savepoint setSavepoint(String name) throws SQLException {
		checkOpen();
		return this.delegate.setSavepoint(name);
	}

	@Override
	public void rollback(Savepoint savepoint) throws SQLException {
		checkOpen();
		try {
			this.injector.beforeRollback(this);
		}
		catch (SQLException ex) {
			// On a real server the failure would abort the transaction, so none of it may commit.
			endTransaction();
			throw ex;
		}
		this.delegate.rollback(savepoint);
	}

	@Override
	public void releaseSavepoint(Savepoint savepoint) throws SQLException {
		checkOpen();
		this.delegate.releaseSavepoint(savepoint);
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
		checkOpen();
		return new ChaosStatement(this, this.delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
		checkOpen();
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
	}

	@Override
	public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
		checkOpen();
		return new ChaosCallableStatement(this, this.delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
		checkOpen();
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql, autoGeneratedKeys), sql);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
		checkOpen();
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql, columnIndexes), sql);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
		checkOpen();
		return new ChaosPreparedStatement(this, this.delegate.prepareStatement(sql, columnNames), sql);
	}

	@Override
	public Clob createClob() throws SQLException {
		checkOpen();
		return this.delegate.createClob();
	}

	@Override
	public Blob createBlob() throws SQLException {
		checkOpen();
		return this.delegate.createBlob();
	}

	@Override
	public NClob createNClob() throws SQLException {
		checkOpen();
		return this.delegate.createNClob();
	}

	@Override
	public SQLXML createSQLXML() throws SQLException {
		checkOpen();
		return this.delegate.createSQLXML();
	}

	@Override
	public boolean isValid(int timeout) throws SQLException {
		int current = this.state;
		if (current == SERVER_GONE) {
			terminate();
		}
		return current == OPEN && this.injector.isValid(this, timeout);
	}

	@Override
	public void setClientInfo(String name, String value) throws SQLClientInfoException {
		this.delegate.setClientInfo(name, value);
	}

	@Override
	public void setClientInfo(Properties properties) throws SQLClientInfoException {
		this.delegate.setClientInfo(properties);
	}

	@Override
	public String getClientInfo(String name) throws SQLException {
		checkOpen();
		return this.delegate.getClientInfo(name);
	}

	@Override
	public Properties getClientInfo() throws SQLException {
		checkOpen();
		return this.delegate.getClientInfo();
	}

	@Override
	public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
		checkOpen();
		return this.delegate.createArrayOf(typeName, elements);
	}

	@Override
	public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
		checkOpen();
		return this.delegate.createStruct(typeName, attributes);
	}

	@Override
	public void setSchema(String schema) throws SQLException {
		checkOpen();
		this.delegate.setSchema(schema);
	}

	@Override
	public String getSchema() throws SQLException {
		checkOpen();
		return this.delegate.getSchema();
	}

	@Override
	public void abort(Executor executor) throws SQLException {
		this.delegate.abort(executor);
	}

	@Override
	public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
		checkOpen();
		this.delegate.setNetworkTimeout(executor, milliseconds);
	}

	@Override
	public int getNetworkTimeout() throws SQLException {
		checkOpen();
		return this.delegate.getNetworkTimeout();
	}

	@Override
	public void beginRequest() throws SQLException {
		checkOpen();
		this.delegate.beginRequest();
	}

	@Override
	public void endRequest() throws SQLException {
		checkOpen();
		this.delegate.endRequest();
	}

	@Override
	public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey, int timeout) throws SQLException {
		checkOpen();
		return this.delegate.setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
	}

	@Override
	public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
		checkOpen();
		return this.delegate.setShardingKeyIfValid(shardingKey, timeout);
	}

	@Override
	public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
		checkOpen();
		this.delegate.setShardingKey(shardingKey, superShardingKey);
	}

	@Override
	public void setShardingKey(ShardingKey shardingKey) throws SQLException {
		checkOpen();
		this.delegate.setShardingKey(shardingKey);
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		if (iface.isInstance(this)) {
			return iface.cast(this);
		}
		return this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.delegate.isWrapperFor(iface);
	}

	@Override
	public String toString() {
		return "ChaosConnection[" + this.delegate + "]";
	}

}
