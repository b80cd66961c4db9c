package dev.dbchaos.actuate;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for the {@code dbchaos} endpoint's default towards callers that are
 * not authenticated: with access unrestricted, they may still list faults but not add or
 * remove them. The same on both Spring Boot generations (run by each starter). A request
 * carrying {@code X-Test-User} stands for an authenticated one (the application has no
 * Spring Security).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "dbchaos.enabled=true",
		"management.endpoints.web.exposure.include=dbchaos", "management.endpoint.dbchaos.access=unrestricted" })
class DbChaosEndpointAnonymousWritesIT extends AbstractDbChaosEndpointIT {

	@Test
	void anonymousPostIsRefusedWith403NamingThePropertyAndAddsNothing() {
		ResponseEntity<Map<String, Object>> response = postAs("{\"type\":\"outage\"}", null);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(response.getBody()).containsOnlyKeys("status", "error", "field", "reason", "message")
			.containsEntry("status", 403)
			.containsEntry("error", "Forbidden")
			.containsEntry("field", null);
		assertThat((String) response.getBody().get("reason")).contains("not authenticated")
			.contains("dbchaos.endpoint.allow-anonymous-writes=true");
		assertThat(response.getBody().get("message")).isEqualTo(response.getBody().get("reason"));
		assertThat(registry().isIdle()).isTrue();
	}

	@Test
	void anonymousPostIsRefusedBeforeItsBodyIsLookedAt() {
		ResponseEntity<Map<String, Object>> response = postAs("{\"type\":", null);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
	}

	@Test
	void anonymousDeletesAreRefusedWith403AndRemoveNothing() {
		FaultRule rule = registry().add(FaultSpec.builder(FaultType.OUTAGE).scope("nobody").build());
		ResponseEntity<Map<String, Object>> removeOne = rest().exchange("/actuator/dbchaos/" + rule.getId(),
				HttpMethod.DELETE, null, JSON);
		ResponseEntity<Map<String, Object>> clearAll = rest().exchange("/actuator/dbchaos", HttpMethod.DELETE, null,
				JSON);
		ResponseEntity<Map<String, Object>> clearScope = rest().exchange("/actuator/dbchaos?scope=nobody",
				HttpMethod.DELETE, null, JSON);
		assertThat(List.of(removeOne, clearAll, clearScope)).allSatisfy((response) -> {
			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
			assertThat((String) response.getBody().get("reason"))
				.contains("dbchaos.endpoint.allow-anonymous-writes=true");
		});
		assertThat(registry().getRules()).extracting(FaultRule::getId).containsExactly(rule.getId());
	}

	@Test
	void anonymousCallersCanStillListFaults() {
		ResponseEntity<Map<String, Object>> response = rest().exchange("/actuator/dbchaos", HttpMethod.GET, null, JSON);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).containsEntry("writable", true);
	}

	@Test
	void authenticatedCallersCanAddAndRemoveFaults() {
		ResponseEntity<Map<String, Object>> added = postAs("{\"type\":\"outage\",\"scope\":\"ops-only\"}", "ops");
		assertThat(added.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		HttpHeaders headers = new HttpHeaders();
		headers.set("X-Test-User", "ops");
		String id = (String) added.getBody().get("id");
		ResponseEntity<Map<String, Object>> removed = rest().exchange("/actuator/dbchaos/" + id, HttpMethod.DELETE,
				new HttpEntity<>(headers), JSON);
		assertThat(removed.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(registry().isIdle()).isTrue();
	}

	private ResponseEntity<Map<String, Object>> postAs(String json, String user) {
		HttpHeaders headers = new HttpHeaders();
		if (user != null) {
			headers.set("X-Test-User", user);
		}
		return post(json, headers);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		FilterRegistrationBean<TestUserFilter> testUserFilter() {
			return new FilterRegistrationBean<>(new TestUserFilter());
		}

	}

	/**
	 * Stands in for Spring Security: a request with {@code X-Test-User} has that user as
	 * its principal, as an authenticated request has.
	 */
	static class TestUserFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String user = request.getHeader("X-Test-User");
			if (user == null) {
				chain.doFilter(request, response);
				return;
			}
			Principal principal = () -> user;
			chain.doFilter(new HttpServletRequestWrapper(request) {

				@Override
				public Principal getUserPrincipal() {
					return principal;
				}

			}, response);
		}

	}

}
