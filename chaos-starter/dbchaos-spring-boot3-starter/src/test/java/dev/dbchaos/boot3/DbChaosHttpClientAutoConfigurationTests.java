package dev.dbchaos.boot3;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.client.RestClientCustomizer;
import org.springframework.boot.web.client.RestTemplateCustomizer;
import org.springframework.boot.web.reactive.function.client.WebClientCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.autoconfigure.BootAutoConfigurations;
import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.header;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

/**
 * Tests for {@link DbChaosHttpClientAutoConfiguration}: the scope travels on Spring Boot
 * 3's HTTP clients.
 */
class DbChaosHttpClientAutoConfigurationTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final String HEADER = "X-DbChaos-Scope";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class,
				DbChaosHttpClientAutoConfiguration.class))
		.withPropertyValues("dbchaos.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl(),
				"spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password());

	@Test
	void restTemplateSendsTheCurrentScope() {
		this.contextRunner.run((context) -> {
			RestTemplate restTemplate = new RestTemplate();
			context.getBean(RestTemplateCustomizer.class).customize(restTemplate);
			MockRestServiceServer server = MockRestServiceServer.bindTo(restTemplate).build();
			server.expect(header(HEADER, "t-42")).andRespond(withSuccess());
			try (DbChaosScope.Binding scope = DbChaosScope.bind("t-42")) {
				restTemplate.getForEntity("http://localhost/sneakers", String.class);
			}
			server.verify();
		});
	}

	@Test
	void restClientSendsTheCurrentScope() {
		this.contextRunner.run((context) -> {
			RestClient.Builder builder = RestClient.builder();
			context.getBean(RestClientCustomizer.class).customize(builder);
			MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
			server.expect(header(HEADER, "t-42")).andRespond(withSuccess());
			try (DbChaosScope.Binding scope = DbChaosScope.bind("t-42")) {
				builder.build().get().uri("http://localhost/sneakers").retrieve().toBodilessEntity();
			}
			server.verify();
		});
	}

	@Test
	void webClientSendsTheCurrentScope() {
		this.contextRunner.run((context) -> {
			AtomicReference<String> sent = new AtomicReference<>();
			WebClient.Builder builder = WebClient.builder().exchangeFunction((request) -> {
				sent.set(request.headers().getFirst(HEADER));
				return Mono.just(ClientResponse.create(HttpStatus.OK).build());
			});
			context.getBean(WebClientCustomizer.class).customize(builder);
			try (DbChaosScope.Binding scope = DbChaosScope.bind("t-42")) {
				builder.build().get().uri("http://localhost/sneakers").retrieve().toBodilessEntity().block();
			}
			assertThat(sent).hasValue("t-42");
		});
	}

	@Test
	void noCustomizersUnlessDbchaosIsEnabled() {
		this.contextRunner.withPropertyValues("dbchaos.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RestTemplateCustomizer.class)
				.doesNotHaveBean(RestClientCustomizer.class)
				.doesNotHaveBean(WebClientCustomizer.class));
	}

}
