package dev.dbchaos.demo;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

import dev.dbchaos.testdatabases.ManagedDatabase;
import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * Runs the shop at development time with a database of its own, started through the same
 * fixture the tests use (a local server, or a container where Docker answers):
 * {@code ./mvnw -pl demo-service -am spring-boot:test-run} for PostgreSQL, and with
 * {@code -Dspring-boot.run.profiles=mariadb} (the profile {@code mariadb}, however it is
 * set) for MariaDB. The server is deleted when the shop stops. A
 * {@code spring.datasource.url} set elsewhere ({@code SPRING_DATASOURCE_URL} in the
 * environment, an argument) wins: then no server is started.
 */
public final class TestDemoApplication {

	private TestDemoApplication() {
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(DemoApplication.class);
		application.addListeners(new ThrowawayDatabase());
		application.run(args);
	}

	/**
	 * Starts the server once the profiles are known, points the shop at it, and removes
	 * it when the shop stops or fails to start.
	 */
	private static final class ThrowawayDatabase implements ApplicationListener<ApplicationEvent> {

		private ManagedDatabase server;

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
				start(prepared.getEnvironment());
			}
			else if ((event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent)
					&& this.server != null) {
				this.server.close();
			}
		}

		private void start(ConfigurableEnvironment environment) {
			if (environment.containsProperty("spring.datasource.url")) {
				return;
			}
			this.server = environment.acceptsProfiles(Profiles.of("mariadb")) ? ManagedMariaDb.create()
					: ManagedPostgres.create();
			this.server.start();
			// Last: below every other source, as default properties are.
			environment.getPropertySources()
				.addLast(new MapPropertySource("throwawayDatabase",
						Map.of("spring.datasource.url", this.server.jdbcUrl(), "spring.datasource.username",
								this.server.username(), "spring.datasource.password", this.server.password())));
		}

	}

}
