package dev.dbchaos.boot3;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.client.RestClientCustomizer;
import org.springframework.boot.web.client.RestTemplateCustomizer;
import org.springframework.boot.web.reactive.function.client.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.autoconfigure.DbChaosProperties;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.web.DbChaosScopeExchangeFilterFunction;
import dev.dbchaos.web.DbChaosScopeRequestInterceptor;

/**
 * Carries the current dbchaos scope on outgoing HTTP calls made with Spring Boot 3's
 * {@code RestTemplate}, {@code RestClient} and {@code WebClient} builders. The
 * interceptor and filter are shared; only the customizer types are Spring Boot 3's.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DbChaosAutoConfiguration.class)
@ConditionalOnBean(FaultRegistry.class)
public class DbChaosHttpClientAutoConfiguration {

	/**
	 * Adds the scope header interceptor to every {@code RestTemplate} and
	 * {@code RestClient} built from Spring Boot's builders.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ RestTemplateCustomizer.class, ClientHttpRequestInterceptor.class })
	static class RestClientsConfiguration {

		@Bean
		RestTemplateCustomizer dbChaosRestTemplateCustomizer(DbChaosProperties properties) {
			DbChaosScopeRequestInterceptor interceptor = new DbChaosScopeRequestInterceptor(
					properties.getScope().getHeaderName());
			return (restTemplate) -> restTemplate.getInterceptors().add(interceptor);
		}

		@Bean
		RestClientCustomizer dbChaosRestClientCustomizer(DbChaosProperties properties) {
			DbChaosScopeRequestInterceptor interceptor = new DbChaosScopeRequestInterceptor(
					properties.getScope().getHeaderName());
			return (builder) -> builder.requestInterceptor(interceptor);
		}

	}

	/**
	 * Adds the scope header filter to every {@code WebClient} built from Spring Boot's
	 * builder.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ WebClientCustomizer.class, ExchangeFilterFunction.class })
	static class WebClientConfiguration {

		@Bean
		WebClientCustomizer dbChaosWebClientCustomizer(DbChaosProperties properties) {
			DbChaosScopeExchangeFilterFunction filter = new DbChaosScopeExchangeFilterFunction(
					properties.getScope().getHeaderName());
			return (builder) -> builder.filter(filter);
		}

	}

}
