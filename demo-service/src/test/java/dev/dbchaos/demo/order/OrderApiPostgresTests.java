package dev.dbchaos.demo.order;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * {@link AbstractOrderApiTests} on PostgreSQL.
 */
class OrderApiPostgresTests extends AbstractOrderApiTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, ManagedPostgres.shared(), "order_api_tests");
	}

}
