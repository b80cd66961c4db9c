package dev.dbchaos.jdbc;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * How every dbchaos wrapper answers {@link Wrapper#unwrap(Class)} and
 * {@link Wrapper#isWrapperFor(Class)}: for itself, or by seeing through to the driver's
 * object it wraps, so that pools and applications that unwrap to the driver's classes
 * still reach them.
 */
final class Unwrapping {

	private Unwrapping() {
	}

	/**
	 * Return the wrapper itself if it is of the requested type, else what the wrapped
	 * object unwraps to.
	 * @param <T> the requested type
	 * @param wrapper the dbchaos wrapper
	 * @param wrapped the driver's object it wraps
	 * @param iface the requested type
	 * @return the wrapper or the wrapped object's answer
	 * @throws SQLException if neither is of the requested type
	 */
	static <T> T unwrap(Object wrapper, Wrapper wrapped, Class<T> iface) throws SQLException {
		if (iface.isInstance(wrapper)) {
			return iface.cast(wrapper);
		}
		return wrapped.unwrap(iface);
	}

	/**
	 * Return whether the wrapper is of the requested type or the wrapped object is a
	 * wrapper for it.
	 * @param wrapper the dbchaos wrapper
	 * @param wrapped the driver's object it wraps
	 * @param iface the requested type
	 * @return whether {@link #unwrap(Object, Wrapper, Class)} would succeed
	 * @throws SQLException if the wrapped object cannot tell
	 */
	static boolean isWrapperFor(Object wrapper, Wrapper wrapped, Class<?> iface) throws SQLException {
		return iface.isInstance(wrapper) || wrapped.isWrapperFor(iface);
	}

}
