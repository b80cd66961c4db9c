package dev.dbchaos.demo.security;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Shoppers and the JSON API are public; releasing sneakers ({@code /admin/**}) and
 * changing faults ({@code POST}/{@code DELETE /actuator/dbchaos}, and in the fleet
 * profile {@code POST /actuator/busrefresh}) need HTTP Basic as a user with role
 * {@code ops}; the {@code viewer} user is signed in but gets 403 there.
 * <p>
 * No sessions and no CSRF tokens: every request carries its credentials, so API clients
 * need nothing but {@code -u}. Cross-site forgery by a browser holding those credentials
 * is stopped by {@link CrossSiteWriteFilter} instead.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	/** The role needed to release sneakers and inject faults. */
	public static final String OPS_ROLE = "ops";

	/** The name of the {@link UserProperties} bean of the operator ({@code demo.ops}). */
	public static final String OPS_USER = "opsUser";

	/**
	 * The name of the {@link UserProperties} bean of the viewer ({@code demo.viewer}).
	 */
	public static final String VIEWER_USER = "viewerUser";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		RequestMatcher dbchaosWrites = new AndRequestMatcher(EndpointRequest.to("dbchaos"),
				(request) -> !HttpMethod.GET.matches(request.getMethod()));
		// busrefresh (the fleet profile) re-reads every instance's configuration,
		// declared
		// faults included: a write like the others.
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers(dbchaosWrites, EndpointRequest.to("busrefresh"))
					.hasRole(OPS_ROLE)
					.requestMatchers("/admin/**")
					.hasRole(OPS_ROLE)
					.anyRequest()
					.permitAll());
		http.httpBasic(Customizer.withDefaults());
		http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		http.csrf((csrf) -> csrf.disable());
		http.addFilterBefore(new CrossSiteWriteFilter(), BasicAuthenticationFilter.class);
		return http.build();
	}

	/** The role of a signed-in user who may only look. */
	public static final String VIEWER_ROLE = "viewer";

	@Bean(OPS_USER)
	@ConfigurationProperties("demo.ops")
	UserProperties opsUser() {
		return new UserProperties("ops", "ops");
	}

	@Bean(VIEWER_USER)
	@ConfigurationProperties("demo.viewer")
	UserProperties viewerUser() {
		return new UserProperties("viewer", "viewer");
	}

	@Bean
	InMemoryUserDetailsManager users(@Qualifier(OPS_USER) UserProperties ops,
			@Qualifier(VIEWER_USER) UserProperties viewer) {
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		return new InMemoryUserDetailsManager(
				User.withUsername(ops.getUsername())
					.password(encoder.encode(ops.getPassword()))
					.roles(OPS_ROLE)
					.build(),
				User.withUsername(viewer.getUsername())
					.password(encoder.encode(viewer.getPassword()))
					.roles(VIEWER_ROLE)
					.build());
	}

}
