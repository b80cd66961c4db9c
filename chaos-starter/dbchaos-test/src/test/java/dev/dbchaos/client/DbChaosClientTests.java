package dev.dbchaos.client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

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
import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.experiment.ExperimentReport.StepReport;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DbChaosClient} against a service's real endpoint, whose faults break
 * its queries to a real PostgreSQL. The experiments' faults are scoped, so that they
 * break nothing the test does not ask for.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos,health",
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
	static void database(DynamicPropertyRegistry properties) throws IOException {
		DatabaseProperties.register(properties, postgres);
		Path directory = Files.createTempDirectory("dbchaos-client-experiments");
		Files.writeString(directory.resolve("client-drill.yaml"), """
				name: client drill
				steps:
				  - fault: {type: error, sqlState: "40001", operation: query, duration: 1s, scope: c-definition}
				hypothesis:
				  - {health: db, status: UP}
				""");
		properties.add("dbchaos.experiments.location", directory::toUri);
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

	@Test
	void startAnswersWithTheFirstFaultInForceAndAbortRemovesIt() {
		DbChaosClient client = client().forScope("c-start");
		ExperimentReport started = client.start(Experiment.named("started")
			.step(Duration.ZERO, Fault.error("40001").operation("query").duration(Duration.ofMinutes(5)))
			.hypothesis(Experiment.health("db", "UP")));
		assertThat(started.state()).isEqualTo("running");
		assertThat(started.verdict()).isNull();
		assertThat(started.name()).isEqualTo("started");
		StepReport step = started.steps().get(0);
		assertThat(step.type()).isEqualTo("error");
		assertThat(step.at()).isEqualTo("PT0S");
		assertThat(step.startedAt()).isNotNull();
		assertThat(this.registry.get(step.faultId()).orElseThrow().getSpec().getScope()).isEqualTo("c-start");
		assertThat(queryIn("c-start")).isEqualTo("40001");
		assertThat(queryIn(null)).isEqualTo("ok");

		ExperimentReport aborted = client.abort(started.id());

		assertThat(aborted.state()).isEqualTo("aborted");
		assertThat(aborted.verdict()).isEqualTo("aborted");
		assertThat(aborted.abortedBy().reason()).isEqualTo("operator");
		assertThat(aborted.steps().get(0).endedAt()).isEqualTo(aborted.endedAt());
		assertThat(queryIn("c-start")).isEqualTo("ok");
		assertThat(this.registry.isIdle()).isTrue();
		assertThat(client.experiment(started.id())).isEqualTo(aborted);
	}

	@Test
	void runWaitsForTheExperimentToEndAndReturnsItsFinalReport() {
		DbChaosClient client = client().forScope("c-run");
		CompletableFuture<ExperimentReport> run = CompletableFuture.supplyAsync(() -> client.run(Experiment.named("run")
			.step(Duration.ZERO, Fault.error("40001").operation("query").duration(Duration.ofSeconds(5)))
			.step(Duration.ofSeconds(1), Fault.error("40P01").operation("update").duration(Duration.ofSeconds(1)))
			.hypothesis(Experiment.health("db", "UP"))
			.recoverWithin(Duration.ofSeconds(10))
			.guard(Experiment.meter("jvm.threads.live", 100_000))));
		// The experiment's first fault fires while it runs.
		await().until(
				() -> this.registry.getRules().stream().anyMatch((rule) -> "c-run".equals(rule.getSpec().getScope())));
		assertThat(queryIn("c-run")).isEqualTo("40001");

		ExperimentReport report = run.join();

		assertThat(report.state()).isEqualTo("completed");
		assertThat(report.verdict()).isEqualTo("passed");
		assertThat(report.endedAt()).isAfter(report.startedAt());
		assertThat(report.abortedBy()).isNull();
		assertThat(report.steps()).extracting(StepReport::type, StepReport::at)
			.containsExactly(tuple("error", "PT0S"), tuple("error", "PT1S"));
		assertThat(report.steps()).allSatisfy((step) -> {
			assertThat(step.faultId()).isNotBlank();
			assertThat(step.endedAt()).isAfter(step.startedAt());
			assertThat(step.error()).isNull();
		});
		assertThat(report.checks()).extracting((check) -> check.role() + " " + check.check())
			.containsExactly("hypothesis health db is UP", "guard meter jvm.threads.live <= 100000.0");
		assertThat(report.checks().get(0).last().value()).isEqualTo("UP");
		assertThat(report.checks().get(1).first().value()).isInstanceOf(Double.class);
		assertThat(report.samples()).isNotEmpty()
			.allSatisfy((sample) -> assertThat(sample.values()).containsKeys("health db", "meter jvm.threads.live"));
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void runStartsADefinitionKeptAsAFileByItsName() {
		ExperimentReport report = client().run(Experiment.definition("client-drill"));
		assertThat(report.name()).isEqualTo("client drill");
		assertThat(report.verdict()).isEqualTo("passed");
		assertThat(report.steps()).singleElement().satisfies((step) -> assertThat(step.endedAt()).isNotNull());
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void runReturnsARefusedExperimentAtOnceWithoutAddingItsFaults() {
		ExperimentReport report = client().forScope("c-refused")
			.run(Experiment.named("refused")
				.step(Duration.ZERO, Fault.outage().duration(Duration.ofMinutes(5)))
				.hypothesis(Experiment.health("db", "DOWN")));
		assertThat(report.state()).isEqualTo("refused");
		assertThat(report.verdict()).isEqualTo("refused");
		assertThat(report.steps().get(0).faultId()).isNull();
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void runAbortsAnExperimentStillRunningAfterItsTimeout() {
		Experiment experiment = Experiment.named("too long")
			.step(Duration.ZERO, Fault.outage().duration(Duration.ofMinutes(5)))
			.timeout(Duration.ofMillis(500));
		assertThatExceptionOfType(DbChaosClientException.class)
			.isThrownBy(() -> client().forScope("c-timeout").run(experiment))
			.withMessageContaining("was still running after PT0.5S, aborted it")
			.withMessageContaining("reason=operator");
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void aRefusedExperimentIsAnExceptionWithTheServersMessage() {
		assertThatExceptionOfType(DbChaosClientException.class).isThrownBy(() -> client().start(Experiment.named("bad")
			.step(Duration.ZERO, Fault.outage().scope("c-bad"))
			.guard(Experiment.meter("no.such.meter", 1).tag("outcome", "SERVER_ERROR")))).satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(400);
				assertThat(ex.getMessage()).endsWith("(HTTP 400): guards[0].meter: no meter is named 'no.such.meter'");
				assertThat(ex.getBody()).contains("\"field\":\"guards[0].meter\"");
			});
		assertThatExceptionOfType(DbChaosClientException.class)
			.isThrownBy(() -> client().run(Experiment.definition("nonesuch")))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(400);
				assertThat(ex.getMessage()).contains("definition: ", "client-drill");
			});
		assertThat(this.registry.isIdle()).isTrue();
	}

	private DbChaosClient client() {
		return DbChaosClient.create(URI.create("http://localhost:" + this.port + "/actuator/dbchaos"));
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
