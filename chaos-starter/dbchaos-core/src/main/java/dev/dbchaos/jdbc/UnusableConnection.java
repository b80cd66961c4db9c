package dev.dbchaos.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ClientInfoStatus;
import java.sql.Connection;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link ChaosConnection} delegates to in place of its physical connection once it
 * has lost the server: a {@link Connection} whose every method fails as the driver's
 * would. Either the server went away while the connection was open, and the first use
 * ends the connection and fails with the server's shutdown (SQLState 57P01), or the
 * connection is terminated, and every use fails with "connection closed" (SQLState
 * 08003).
 * <p>
 * A JDK proxy, so one class covers every method of {@link Connection}, whatever the JDK's
 * version. It costs a reflective call per use, which only a lost connection pays: an open
 * one calls the driver directly.
 */
final class UnusableConnection implements InvocationHandler {

	// The connection whose server went away, ended by its next use; null once it is
	// terminated.
	private final @Nullable ChaosConnection serverGone;

	private final JdbcFailures failures;

	private UnusableConnection(@Nullable ChaosConnection serverGone, JdbcFailures failures) {
		this.serverGone = serverGone;
		this.failures = failures;
	}

	/**
	 * Return the delegate of a connection whose server went away while it was open: the
	 * next use terminates the connection and fails with the server's shutdown.
	 * @param connection the connection
	 * @param failures the driver's failures
	 * @return the delegate
	 */
	static Connection serverGone(ChaosConnection connection, JdbcFailures failures) {
		return proxy(new UnusableConnection(connection, failures));
	}

	/**
	 * Return the delegate of a terminated connection, whose every use fails with SQLState
	 * 08003.
	 * @param failures the driver's failures
	 * @return the delegate
	 */
	static Connection terminated(JdbcFailures failures) {
		return proxy(new UnusableConnection(null, failures));
	}

	/**
	 * Return what a use of an unusable delegate fails with, terminating its connection
	 * first if the server went away.
	 * @param delegate a delegate made here
	 * @return the failure
	 */
	static SQLException failureOf(Connection delegate) {
		return handlerOf(delegate).failure();
	}

	/**
	 * Return whether a delegate is that of a terminated connection.
	 * @param delegate a connection's delegate, made here or not
	 * @return whether it was made by {@link #terminated(JdbcFailures)}
	 */
	static boolean isTerminated(Connection delegate) {
		UnusableConnection handler = handlerOf(delegate);
		return handler != null && handler.serverGone == null;
	}

	private static @Nullable UnusableConnection handlerOf(Connection delegate) {
		if (Proxy.isProxyClass(delegate.getClass())
				&& Proxy.getInvocationHandler(delegate) instanceof UnusableConnection handler) {
			return handler;
		}
		return null;
	}

	private static Connection proxy(UnusableConnection handler) {
		return (Connection) Proxy.newProxyInstance(UnusableConnection.class.getClassLoader(),
				new Class<?>[] { Connection.class }, handler);
	}

	@Override
	public Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> (this.serverGone != null) ? "connection whose server went away" : "terminated connection";
			};
		}
		throw declared(failure(), method, args);
	}

	private SQLException failure() {
		if (this.serverGone != null) {
			this.serverGone.terminate();
			return this.failures.serverShutdown();
		}
		return this.failures.connectionClosed();
	}

	/**
	 * Return the failure as the method may throw it: {@code setClientInfo} declares only
	 * {@link SQLClientInfoException}, so the failure is carried in one, naming the
	 * properties that were not set, as PgJDBC does.
	 * @param failure the failure of the use
	 * @param method the {@link Connection} method that was called
	 * @param args the arguments of the call, {@code null} when it has none
	 * @return the failure itself when the method declares it, otherwise a
	 * {@link SQLClientInfoException} that carries it
	 */
	private static Exception declared(SQLException failure, Method method, Object @Nullable [] args) {
		for (Class<?> declared : method.getExceptionTypes()) {
			if (declared.isInstance(failure)) {
				return failure;
			}
		}
		Map<String, ClientInfoStatus> notSet = new HashMap<>();
		if (args != null && args.length > 0 && args[0] instanceof String name) {
			notSet.put(name, ClientInfoStatus.REASON_UNKNOWN);
		}
		else if (args != null && args.length > 0 && args[0] instanceof Properties properties) {
			properties.stringPropertyNames().forEach((name) -> notSet.put(name, ClientInfoStatus.REASON_UNKNOWN));
		}
		return new SQLClientInfoException(failure.getMessage(), failure.getSQLState(), failure.getErrorCode(), notSet,
				failure);
	}

}
