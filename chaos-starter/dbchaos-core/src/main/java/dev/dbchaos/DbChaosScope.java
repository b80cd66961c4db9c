package dev.dbchaos;

import org.jspecify.annotations.Nullable;

/**
 * The scope tag the current thread works under. A fault rule with a scope fires only for
 * JDBC calls made while the calling thread is bound to that scope, which lets parallel
 * tests inject faults into one shared service without seeing each other's faults.
 * <p>
 * Bindings nest: closing a {@link Binding} restores whatever was bound before it. While a
 * binding is open it counts as work in flight under its scope (see
 * {@link ScopeActivity}). <pre class="code">
 * try (DbChaosScope.Binding binding = DbChaosScope.bind("t-42")) {
 *     orders.place(order); // sees the rules scoped to "t-42" and the unscoped ones
 * }
 * </pre>
 *
 * @since 0.1.0
 */
public final class DbChaosScope {

	private static final ThreadLocal<String> current = new ThreadLocal<>();

	private DbChaosScope() {
	}

	/**
	 * Bind the current thread to the given scope until the returned binding is closed.
	 * @param scope the scope tag, or {@code null} to run unscoped inside the binding
	 * @return the binding to close, which restores the previous scope
	 */
	public static Binding bind(@Nullable String scope) {
		String previous = current.get();
		String bound = (scope == null || scope.isEmpty()) ? null : scope;
		set(bound);
		return new Binding(previous, (bound != null) ? ScopeActivity.begin(bound) : null);
	}

	/**
	 * Bind the current thread to a scope as a client of it, such as a test driving a
	 * service: its JDBC calls see the scope's faults and its outgoing HTTP calls carry
	 * the scope header, but it does not count as work in flight under the scope, so it
	 * can itself wait for the scope to fall quiet.
	 * @param scope the scope tag
	 * @return the binding to close, which restores the previous scope
	 */
	public static Binding propagate(String scope) {
		String previous = current.get();
		set(scope);
		return new Binding(previous, null);
	}

	/**
	 * Return the scope the current thread is bound to.
	 * @return the scope tag, or {@code null} when unscoped
	 */
	public static @Nullable String current() {
		return current.get();
	}

	private static void set(@Nullable String scope) {
		if (scope == null || scope.isEmpty()) {
			current.remove();
		}
		else {
			current.set(scope);
		}
	}

	/**
	 * A scope bound to the current thread. Close it on the thread that bound it.
	 */
	public static final class Binding implements AutoCloseable {

		private final @Nullable String previous;

		private final ScopeActivity.@Nullable Work work;

		private Binding(@Nullable String previous, ScopeActivity.@Nullable Work work) {
			this.previous = previous;
			this.work = work;
		}

		@Override
		public void close() {
			set(this.previous);
			if (this.work != null) {
				this.work.end();
			}
		}

	}

}
