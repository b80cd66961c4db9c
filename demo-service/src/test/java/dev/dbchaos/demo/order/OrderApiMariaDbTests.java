package dev.dbchaos.demo.order;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedMariaDb;

/**
 * {@link AbstractOrderApiTests} on MariaDB, with the profile {@code mariadb}.
 */
@ActiveProfiles("mariadb")
class OrderApiMariaDbTests extends AbstractOrderApiTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		DatabaseProperties.register(registry, ManagedMariaDb.shared(), "order_api_tests");
	}

}
