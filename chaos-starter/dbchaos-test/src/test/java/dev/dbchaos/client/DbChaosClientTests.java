package dev.dbchaos.client;

import java.net.URI;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DbChaosClient} against a service's real endpoint, whose faults break
 * its queries to a real PostgreSQL.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos",
				"management.endpoint.dbchaos.access=unrestricted", "dbchaos.endpoint.allow-anonymous-writes=true" })
class DbChaosClientTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	@Autowired
	private FaultRegistry registry;

	@Autowired
	private JdbcTemplate jdbc;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry properties) {
		DatabaseProperties.register(properties, postgres);
	}

	@Test
	void aFaultGivenToAScopedClientIsLeftUnchangedAndCanBeReusedWithAnotherClient() {
		DbChaosClient client = DbChaosClient.create(URI.create("http://localhost:" + this.port + "/actuator/dbchaos"));
		Fault fault = Fault.error("40001").operation("query");
		String asWritten = fault.toJson();
		try (FaultHandle first = client.forScope("c-first").inject(fault)) {
			assertThat(fault.toJson()).isEqualTo(asWritten);
			try (FaultHandle second = client.forScope("c-second").inject(fault)) {
				assertThat(fault.toJson()).isEqualTo(asWritten);
				assertThat(scopeOf(first)).isEqualTo("c-first");
				assertThat(scopeOf(second)).isEqualTo("c-second");
				assertThat(queryIn("c-first")).isEqualTo("40001");
				assertThat(queryIn("c-second")).isEqualTo("40001");
				assertThat(queryIn(null)).isEqualTo("ok");
			}
			assertThat(queryIn("c-second")).isEqualTo("ok");
			assertThat(queryIn("c-first")).isEqualTo("40001");
		}
		try (FaultHandle unscoped = client.inject(fault)) {
			assertThat(scopeOf(unscoped)).isNull();
			assertThat(queryIn(null)).isEqualTo("40001");
		}
		assertThat(fault.toJson()).isEqualTo(asWritten);
	}

	@Test
	void aFaultThatNamesItsScopeKeepsItWithAClientBoundToAnother() {
		DbChaosClient client = DbChaosClient.create(URI.create("http://localhost:" + this.port + "/actuator/dbchaos"))
			.forScope("c-client");
		try (FaultHandle handle = client.inject(Fault.error("40001").operation("query").scope("c-named"))) {
			assertThat(scopeOf(handle)).isEqualTo("c-named");
			assertThat(queryIn("c-named")).isEqualTo("40001");
			assertThat(queryIn("c-client")).isEqualTo("ok");
		}
	}

	private String scopeOf(FaultHandle handle) {
		return this.registry.get(handle.getId()).orElseThrow().getSpec().getScope();
	}

	/**
	 * What a query the service makes in a scope gives: "ok", or the SQLState it failed
	 * with.
	 */
	private String queryIn(String scope) {
		try (DbChaosScope.Binding binding = DbChaosScope.bind(scope)) {
			this.jdbc.queryForObject("select 1", Integer.class);
			return "ok";
		}
		catch (DataAccessException ex) {
			return (ex.getCause() instanceof SQLException sql) ? sql.getSQLState() : ex.toString();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
