package dev.dbchaos.web;

import java.io.IOException;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import dev.dbchaos.DbChaosScope;

/**
 * Passes the current scope on to the services a {@code RestTemplate} or
 * {@code RestClient} calls, so that a scope follows a request across services that all
 * run dbchaos.
 *
 * @since 0.1.0
 */
public class DbChaosScopeRequestInterceptor implements ClientHttpRequestInterceptor {

	private final String headerName;

	/**
	 * Create an interceptor that sets the given header.
	 * @param headerName the name of the scope header
	 */
	public DbChaosScopeRequestInterceptor(String headerName) {
		this.headerName = headerName;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		String scope = DbChaosScope.current();
		// getFirst, not containsKey: Spring Framework 7's HttpHeaders is no longer a Map.
		if (scope != null && request.getHeaders().getFirst(this.headerName) == null) {
			request.getHeaders().set(this.headerName, scope);
		}
		return execution.execute(request, body);
	}

}
