package dev.dbchaos.testdatabases;

import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot test's data source at a {@link ManagedDatabase} (a
 * {@link ManagedPostgres}, or a {@link ManagedMariaDb} with its MariaDB Connector/J URL),
 * from its {@code @DynamicPropertySource} method. Needs {@code spring-test}, which this
 * module declares optional: tests that use it have it anyway.
 */
public final class DatabaseProperties {

	private DatabaseProperties() {
	}

	/**
	 * Use the server's own database.
	 * @param registry the test's property registry
	 * @param server the server
	 */
	public static void register(DynamicPropertyRegistry registry, ManagedDatabase server) {
		register(registry, server, server::jdbcUrl);
	}

	/**
	 * Use a database of the test's own on the server, so that tests sharing the server do
	 * not see each other's orders.
	 * @param registry the test's property registry
	 * @param server the server
	 * @param database the database name, created if missing
	 */
	public static void register(DynamicPropertyRegistry registry, ManagedDatabase server, String database) {
		register(registry, server, () -> server.createDatabase(database));
	}

	private static void register(DynamicPropertyRegistry registry, ManagedDatabase server, Supplier<Object> url) {
		registry.add("spring.datasource.url", url);
		registry.add("spring.datasource.username", server::username);
		registry.add("spring.datasource.password", server::password);
	}

}
