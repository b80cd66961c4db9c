package dev.dbchaos.testdatabases;

import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot test's data source at a {@link ManagedPostgres} (or any
 * {@link ManagedDatabase}: a {@link ManagedMariaDb} is given its MariaDB Connector/J
 * URL), from its {@code @DynamicPropertySource} method. Needs {@code spring-test}, which
 * this module declares optional: tests that use it have it anyway.
 */
public final class PostgresProperties {

	private PostgresProperties() {
	}

	/**
	 * Use the server's own database.
	 * @param registry the test's property registry
	 * @param postgres the server
	 */
	public static void register(DynamicPropertyRegistry registry, ManagedDatabase postgres) {
		register(registry, postgres, postgres::jdbcUrl);
	}

	/**
	 * Use a database of the test's own on the server, so that tests sharing the server do
	 * not see each other's orders.
	 * @param registry the test's property registry
	 * @param postgres the server
	 * @param database the database name, created if missing
	 */
	public static void register(DynamicPropertyRegistry registry, ManagedDatabase postgres, String database) {
		register(registry, postgres, () -> postgres.createDatabase(database));
	}

	private static void register(DynamicPropertyRegistry registry, ManagedDatabase postgres, Supplier<Object> url) {
		registry.add("spring.datasource.url", url);
		registry.add("spring.datasource.username", postgres::username);
		registry.add("spring.datasource.password", postgres::password);
	}

}
