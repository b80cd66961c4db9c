package dev.dbchaos.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.dbchaos.DbChaosScope;

/**
 * Binds each request that carries the scope header (by default {@code X-DbChaos-Scope})
 * to that scope, so that scoped fault rules hit that request's database calls and no
 * others.
 *
 * @since 0.1.0
 */
public class DbChaosScopeFilter extends OncePerRequestFilter {

	private final String headerName;

	/**
	 * Create a filter reading the given header.
	 * @param headerName the name of the scope header
	 */
	public DbChaosScopeFilter(String headerName) {
		this.headerName = headerName;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String scope = request.getHeader(this.headerName);
		if (scope == null || scope.isBlank()) {
			chain.doFilter(request, response);
			return;
		}
		try (DbChaosScope.Binding binding = DbChaosScope.bind(scope.trim())) {
			chain.doFilter(request, response);
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		// An async dispatch runs on another thread, which must be bound again.
		return false;
	}

}
