package dev.dbchaos.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.client.DbChaosClientException;
import dev.dbchaos.client.Experiment;
import dev.dbchaos.client.Fault;
import dev.dbchaos.client.FaultHandle;
import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.testdatabases.DatabaseProperties;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Integration tests for {@link DbChaosTest @DbChaosTest}, the {@link DbChaosClient} and
 * scope propagation into {@code @Async} work, against a real PostgreSQL. The application
 * has no Spring Security, so the extension's calls are anonymous: anonymous writes are
 * allowed here.
 * <p>
 * The output is captured for the whole class, so that a test can look at what the
 * previous test's clean-up logged (which happens after the test, out of its own reach);
 * those tests run first, in order.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos",
				"management.endpoint.dbchaos.access=unrestricted", "dbchaos.endpoint.allow-anonymous-writes=true" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DbChaosTest
class DbChaosTestExtensionIT {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private static final ByteArrayOutputStream output = new ByteArrayOutputStream();

	private static PrintStream originalOut;

	@Autowired
	private TestRestTemplate rest;

	@Autowired
	private BackgroundWork work;

	@Autowired
	private FaultRegistry registry;

	@LocalServerPort
	private int port;

	@BeforeAll
	static void captureOutput() {
		originalOut = System.out;
		PrintStream original = originalOut;
		// Logback's console appender writes to whatever System.out is at the time.
		System.setOut(new PrintStream(new OutputStream() {

			@Override
			public void write(int b) {
				original.write(b);
				synchronized (output) {
					output.write(b);
				}
			}

			@Override
			public void write(byte[] bytes, int offset, int length) {
				original.write(bytes, offset, length);
				synchronized (output) {
					output.write(bytes, offset, length);
				}
			}

			@Override
			public void flush() throws IOException {
				original.flush();
			}

		}, true, StandardCharsets.UTF_8));
	}

	@AfterAll
	static void restoreOutput() {
		System.setOut(originalOut);
	}

	private static List<String> clearedLines() {
		synchronized (output) {
			return output.toString(StandardCharsets.UTF_8)
				.lines()
				.filter((line) -> line.contains("dbchaos cleared"))
				.toList();
		}
	}

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry properties) {
		DatabaseProperties.register(properties, postgres);
	}

	@Test
	@Order(1)
	void testThatInjectsNothing(DbChaosClient chaos) {
		assertThat(chaos.getScope()).isNotNull();
	}

	@Test
	@Order(2)
	void cleanUpAfterATestThatInjectedNothingLogsNothing() {
		assertThat(clearedLines()).isEmpty();
	}

	@Test
	@Order(3)
	void testThatInjectsAFault(DbChaosClient chaos) {
		chaos.inject(Fault.outage().id("cleaned-up-after-the-test"));
	}

	@Test
	@Order(4)
	void cleanUpAfterATestLogsWhatItRemovedAtInfo() {
		assertThat(clearedLines()).singleElement()
			.asString()
			.contains("INFO")
			.contains("dbchaos cleared [cleaned-up-after-the-test] of scope t-");
		assertThat(this.registry.get("cleaned-up-after-the-test")).isEmpty();
	}

	@Test
	void asyncWorkStartedByARequestRunsUnderTheRequestsScope(DbChaosClient chaos) {
		chaos.inject(Fault.error("40001").operation("query"));
		this.rest.postForEntity("/work/scoped", null, String.class);
		chaos.awaitQuiescence(chaos.getScope(), Duration.ofSeconds(10));
		assertThat(this.work.outcomes()).containsEntry("scoped", "40001");
	}

	@Test
	void requestsOutsideTheScopeDoNotSeeItsFaults(DbChaosClient chaos) throws Exception {
		chaos.inject(Fault.error("40001").operation("query"));
		HttpClient plain = HttpClient.newHttpClient();
		plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/work/plain"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.discarding());
		Awaitility.await().until(() -> this.work.outcomes().containsKey("plain"));
		assertThat(this.work.outcomes()).containsEntry("plain", "ok");
	}

	@Test
	void anExperimentTheTestRunsIsWrittenAsAPage(DbChaosClient chaos, TestInfo test) throws IOException {
		ExperimentReport report = chaos.run(Experiment.named("written as a page")
			.step(Duration.ZERO, Fault.latency(Duration.ofMillis(1)).duration(Duration.ofSeconds(1)))
			// This application exposes no health endpoint: a meter is what it can check.
			.hypothesis(Experiment.meter("jvm.threads.live", 100_000))
			.recoverWithin(Duration.ofSeconds(10)));
		Path page = ExperimentReportPage.fileFor(Path.of(ExperimentReportPage.DEFAULT_DIRECTORY), getClass(),
				test.getTestMethod().orElseThrow().getName(), report.id());
		assertThat(page).isRegularFile();
		assertThat(Files.readString(page)).isEqualTo(ExperimentReportPage.render(report));
	}

	@Test
	void eachTestGetsItsOwnScope(DbChaosClient chaos) {
		assertThat(chaos.getScope()).startsWith("t-").contains("eachTestGetsItsOwnScope");
		assertThat(DbChaosScope.current()).isEqualTo(chaos.getScope());
	}

	@Test
	void closingAHandleRemovesItsFault(DbChaosClient chaos) {
		try (FaultHandle handle = chaos.inject(Fault.outage())) {
			assertThat(this.registry.get(handle.getId())).isPresent();
		}
		assertThat(this.registry.getRules()).noneMatch((rule) -> chaos.getScope().equals(rule.getSpec().getScope()));
	}

	@Test
	void refusedFaultNamesTheField(DbChaosClient chaos) {
		assertThatExceptionOfType(DbChaosClientException.class)
			.isThrownBy(() -> chaos.inject(Fault.outage().probability(2)))
			.satisfies((ex) -> {
				assertThat(ex.getStatus()).isEqualTo(400);
				assertThat(ex.getBody()).contains("\"field\":\"probability\"");
			});
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableAsync
	@Import({ BackgroundWork.class, WorkController.class })
	static class TestApplication {

	}

	static class BackgroundWork {

		private final Map<String, String> outcomes = new ConcurrentHashMap<>();

		private final JdbcTemplate jdbc;

		BackgroundWork(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		// A method, not the field: the @Async proxy has fields of its own.
		Map<String, String> outcomes() {
			return this.outcomes;
		}

		@Async
		void run(String name) {
			try {
				this.jdbc.queryForObject("select 1", Integer.class);
				this.outcomes.put(name, "ok");
			}
			catch (DataAccessException ex) {
				this.outcomes.put(name, (ex.getCause() instanceof SQLException sql) ? sql.getSQLState() : "unknown");
			}
		}

	}

	@RestController
	static class WorkController {

		private final BackgroundWork work;

		WorkController(BackgroundWork work) {
			this.work = work;
		}

		@PostMapping("/work/{name}")
		void start(@PathVariable String name) {
			this.work.run(name);
		}

	}

}
