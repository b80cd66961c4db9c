package dev.dbchaos.demo.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses state-changing requests that a browser sends on behalf of another site. This is
 * the shop's CSRF protection in place of tokens: a browser that has the ops user's Basic
 * credentials sends them with any request to this host, so a foreign page could otherwise
 * release a sneaker or start an outage. Browsers label such requests with
 * {@code Sec-Fetch-Site: cross-site} (or {@code same-site}) and an {@code Origin} of the
 * other site; API clients such as curl send neither and are let through, which keeps the
 * admin API usable without a token dance.
 */
public class CrossSiteWriteFilter extends OncePerRequestFilter {

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	private static final Set<String> TRUSTED_FETCH_SITES = Set.of("same-origin", "none");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!SAFE_METHODS.contains(request.getMethod()) && isCrossSite(request)) {
			response.sendError(HttpStatus.FORBIDDEN.value(), "Cross-site requests may not change anything");
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean isCrossSite(HttpServletRequest request) {
		String fetchSite = request.getHeader("Sec-Fetch-Site");
		if (fetchSite != null) {
			return !TRUSTED_FETCH_SITES.contains(fetchSite);
		}
		// Older browsers send no Sec-Fetch-Site but do send Origin on cross-site POSTs.
		String origin = request.getHeader("Origin");
		return origin != null && !origin.equals(ownOrigin(request));
	}

	private static String ownOrigin(HttpServletRequest request) {
		int port = request.getServerPort();
		boolean defaultPort = ("http".equals(request.getScheme()) && port == 80)
				|| ("https".equals(request.getScheme()) && port == 443);
		return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
	}

}
