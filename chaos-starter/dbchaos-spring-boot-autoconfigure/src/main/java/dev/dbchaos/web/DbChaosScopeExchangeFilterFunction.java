package dev.dbchaos.web;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

import dev.dbchaos.DbChaosScope;

/**
 * Passes the current scope on to the services a {@code WebClient} calls. The scope is
 * read on the thread that runs the exchange, which is the calling thread for a blocking
 * {@code block()} and for calls made directly inside a scoped request.
 *
 * @since 0.1.0
 */
public class DbChaosScopeExchangeFilterFunction implements ExchangeFilterFunction {

	private final String headerName;

	/**
	 * Create a filter that sets the given header.
	 * @param headerName the name of the scope header
	 */
	public DbChaosScopeExchangeFilterFunction(String headerName) {
		this.headerName = headerName;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		String scope = DbChaosScope.current();
		// getFirst, not containsKey: Spring Framework 7's HttpHeaders is no longer a Map.
		if (scope == null || request.headers().getFirst(this.headerName) != null) {
			return next.exchange(request);
		}
		return next.exchange(ClientRequest.from(request).header(this.headerName, scope).build());
	}

}
