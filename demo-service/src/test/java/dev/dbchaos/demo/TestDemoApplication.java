package dev.dbchaos.demo;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * Runs the shop at development time with a PostgreSQL of its own, started through the
 * same fixture the tests use (a local server, or a container where Docker answers):
 * {@code ./mvnw -pl demo-service -am spring-boot:test-run}. The server is deleted when
 * the shop stops. A {@code SPRING_DATASOURCE_URL} in the environment still wins over it.
 */
public final class TestDemoApplication {

	private TestDemoApplication() {
	}

	public static void main(String[] args) {
		ManagedPostgres postgres = ManagedPostgres.create();
		postgres.start();
		try {
			SpringApplication application = new SpringApplication(DemoApplication.class);
			application
				.setDefaultProperties(Map.of("spring.datasource.url", postgres.jdbcUrl(), "spring.datasource.username",
						postgres.username(), "spring.datasource.password", postgres.password()));
			ApplicationListener<ContextClosedEvent> closePostgres = (event) -> postgres.close();
			application.addListeners(closePostgres);
			application.run(args);
		}
		catch (RuntimeException ex) {
			postgres.close();
			throw ex;
		}
	}

}
