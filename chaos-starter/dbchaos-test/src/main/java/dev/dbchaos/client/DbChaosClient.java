package dev.dbchaos.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.experiment.ExperimentReport;

/**
 * Drives the {@code dbchaos} endpoint of a running service from a test.
 * <pre class="code">
 * DbChaosClient client = DbChaosClient.create(URI.create("http://localhost:8080/actuator/dbchaos"));
 * try (FaultHandle outage = client.inject(Fault.outage().scope("t-1").duration(Duration.ofSeconds(30)))) {
 *     // requests carrying X-DbChaos-Scope: t-1 see the database down
 * }
 * client.awaitQuiescence("t-1", Duration.ofSeconds(5));
 * </pre> A client {@linkplain #forScope(String) bound to a scope} puts that scope on
 * every fault it injects and clears only that scope's faults.
 *
 * @since 0.1.0
 */
public final class DbChaosClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How often {@link #run(Experiment)} asks whether the experiment has ended.
	 */
	private static final long EXPERIMENT_POLL_MILLIS = 200;

	/**
	 * One JDK client for every {@code DbChaosClient}, as the JDK advises: each client
	 * owns a selector thread and a connection pool, and a suite that creates a client per
	 * test (as {@code @DbChaosTest} does, hundreds in a parallel run) would otherwise
	 * keep hundreds of both alive until they are collected. HTTP/1.1, as actuator
	 * endpoints are served: the default would first try to upgrade each new plain-HTTP
	 * connection to HTTP/2 (h2c).
	 */
	private static final HttpClient SHARED_HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final HttpClient http;

	private final URI endpoint;

	private final @Nullable String authorization;

	private final @Nullable String scope;

	private final Consumer<ExperimentReport> reportListener;

	private DbChaosClient(HttpClient http, URI endpoint, @Nullable String authorization, @Nullable String scope,
			Consumer<ExperimentReport> reportListener) {
		this.http = http;
		this.endpoint = endpoint;
		this.authorization = authorization;
		this.scope = scope;
		this.reportListener = reportListener;
	}

	/**
	 * Create a client for the endpoint at the given URI.
	 * @param endpoint the endpoint, such as
	 * {@code http://localhost:8080/actuator/dbchaos}
	 * @return the client
	 */
	public static DbChaosClient create(URI endpoint) {
		String base = endpoint.toString();
		URI normalized = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
		return new DbChaosClient(SHARED_HTTP, normalized, null, null, (report) -> {
		});
	}

	/**
	 * Return a client that authenticates with HTTP Basic.
	 * @param username the user
	 * @param password the password
	 * @return the client
	 */
	public DbChaosClient withBasicAuth(String username, String password) {
		String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
		return new DbChaosClient(this.http, this.endpoint, "Basic " + token, this.scope, this.reportListener);
	}

	/**
	 * Return a client bound to a scope: its faults are limited to that scope unless they
	 * name another, and {@link #clear()} clears only that scope's faults.
	 * @param scope the scope
	 * @return the client
	 */
	public DbChaosClient forScope(String scope) {
		return new DbChaosClient(this.http, this.endpoint, this.authorization, scope, this.reportListener);
	}

	/**
	 * Return a client that hands the final report of every experiment it
	 * {@link #run(Experiment) runs} to a listener, as {@code @DbChaosTest} does to write
	 * each as a page ({@link dev.dbchaos.test.ExperimentReportPage}).
	 * @param listener called with each final report, before {@code run} returns it
	 * @return the client
	 */
	public DbChaosClient withReportListener(Consumer<ExperimentReport> listener) {
		return new DbChaosClient(this.http, this.endpoint, this.authorization, this.scope, listener);
	}

	/**
	 * Return the scope this client is bound to.
	 * @return the scope, or {@code null}
	 */
	public @Nullable String getScope() {
		return this.scope;
	}

	/**
	 * Inject a fault. It is in force for every JDBC call that starts after this method
	 * returns. A client bound to a scope sends the fault limited to that scope unless it
	 * names one; the given fault itself is left unchanged, so it can be injected again,
	 * by any client.
	 * @param fault the fault
	 * @return a handle that removes the fault when closed
	 * @throws DbChaosClientException if the endpoint refuses it (400 names the field)
	 */
	public FaultHandle inject(Fault fault) {
		Fault sent = (this.scope != null && fault.scope() == null) ? fault.copyWithScope(this.scope) : fault;
		HttpResponse<String> response = send(request(this.endpoint).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(sent.toJson())));
		expect(response, 201, "inject " + sent);
		return new FaultHandle(this, Json.stringField(response.body(), "id"));
	}

	/**
	 * Remove a fault by id. Does nothing if no such fault is active.
	 * @param id the fault id
	 */
	public void remove(String id) {
		HttpResponse<String> response = send(request(URI.create(this.endpoint + "/" + id)).DELETE());
		if (response.statusCode() != 404) {
			expect(response, 200, "remove fault " + id);
		}
	}

	/**
	 * Remove every fault, or, for a client bound to a scope, every fault of that scope.
	 */
	public void clear() {
		URI uri = (this.scope != null) ? URI.create(this.endpoint + "?scope=" + encode(this.scope)) : this.endpoint;
		expect(send(request(uri).DELETE()), 200, "clear faults");
	}

	/**
	 * Return the work in flight under a scope in the service.
	 * @param scope the scope
	 * @return the count
	 */
	public int inFlight(String scope) {
		HttpResponse<String> response = send(request(URI.create(this.endpoint + "/scopes/" + encode(scope))).GET());
		expect(response, 200, "read scope " + scope);
		return Json.intField(response.body(), "inFlight");
	}

	/**
	 * Wait until all work a scope started in the service has finished (requests, and the
	 * tasks and {@code @Async} methods they started).
	 * @param scope the scope
	 * @param timeout how long to wait at most
	 * @throws DbChaosClientException if the scope is still busy when the timeout elapses
	 */
	public void awaitQuiescence(String scope, Duration timeout) {
		URI uri = URI.create(this.endpoint + "/scopes/" + encode(scope) + "?await=" + timeout.toMillis() + "ms");
		HttpResponse<String> response = send(request(uri).timeout(timeout.plus(TIMEOUT)).GET());
		expect(response, 200, "await quiescence of " + scope);
		Integer inFlight = Json.intField(response.body(), "inFlight");
		if (inFlight == null || inFlight > 0) {
			throw new DbChaosClientException(
					"Scope " + scope + " still has " + inFlight + " unit(s) of work in flight after " + timeout, 200,
					response.body());
		}
	}

	/**
	 * Start an experiment. A client bound to a scope limits each step's fault to that
	 * scope unless it names one (a definition's faults are as its file has them).
	 * @param experiment the experiment, or the name of a definition kept as a file
	 * @return its report as it started: {@code running}, or {@code refused} when its
	 * hypothesis did not hold
	 * @throws DbChaosClientException if the endpoint refuses it (400 names the field)
	 */
	public ExperimentReport start(Experiment experiment) {
		HttpResponse<String> response = send(request(experiments()).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(experiment.toJson(this.scope))));
		expect(response, 201, "start experiment " + experiment);
		return ExperimentReports.read(response.body());
	}

	/**
	 * Start an experiment and wait until it has ended, asking for its report every
	 * {@value #EXPERIMENT_POLL_MILLIS} ms. An experiment still running after
	 * {@link Experiment#getTimeout()} is aborted, which removes its faults.
	 * @param experiment the experiment, or the name of a definition kept as a file
	 * @return its final report: {@code completed} (verdict {@code passed} or
	 * {@code failed}), {@code aborted} or {@code refused}
	 * @throws DbChaosClientException if the endpoint refuses it, or if it was still
	 * running after its timeout (then aborted)
	 */
	public ExperimentReport run(Experiment experiment) {
		ExperimentReport report = start(experiment);
		Instant deadline = Instant.now().plus(experiment.getTimeout());
		try {
			while ("running".equals(report.state())) {
				if (Instant.now().isAfter(deadline)) {
					ExperimentReport aborted = abort(report.id());
					throw new DbChaosClientException("Experiment " + report.id() + " (" + report.name()
							+ ") was still running after " + experiment.getTimeout() + ", aborted it", 200,
							String.valueOf(aborted));
				}
				Thread.sleep(EXPERIMENT_POLL_MILLIS);
				report = experiment(report.id());
			}
			this.reportListener.accept(report);
			return report;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			abort(report.id());
			throw new DbChaosClientException("Interrupted while experiment " + report.id() + " ran, aborted it", ex);
		}
	}

	/**
	 * Return an experiment's report as it stands.
	 * @param id the experiment's id
	 * @return the report
	 * @throws DbChaosClientException if there is no such experiment (404)
	 */
	public ExperimentReport experiment(String id) {
		HttpResponse<String> response = send(request(URI.create(experiments() + "/" + encode(id))).GET());
		expect(response, 200, "read experiment " + id);
		return ExperimentReports.read(response.body());
	}

	/**
	 * Abort an experiment, removing its faults; one that has ended is left as it is.
	 * @param id the experiment's id
	 * @return its report
	 * @throws DbChaosClientException if there is no such experiment (404)
	 */
	public ExperimentReport abort(String id) {
		HttpResponse<String> response = send(request(URI.create(experiments() + "/" + encode(id))).DELETE());
		expect(response, 200, "abort experiment " + id);
		return ExperimentReports.read(response.body());
	}

	private URI experiments() {
		return URI.create(this.endpoint + "/experiments");
	}

	private HttpRequest.Builder request(URI uri) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
		if (this.authorization != null) {
			builder.header("Authorization", this.authorization);
		}
		return builder;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		HttpRequest built = request.build();
		try {
			return this.http.send(built, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new DbChaosClientException("Could not reach " + built.uri(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DbChaosClientException("Interrupted while calling " + built.uri(), ex);
		}
	}

	private static void expect(HttpResponse<String> response, int status, String what) {
		if (response.statusCode() != status) {
			throw new DbChaosClientException(
					"dbchaos endpoint refused to " + what + " (HTTP " + response.statusCode() + ")",
					response.statusCode(), response.body());
		}
	}

	private static String encode(String text) {
		return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

}
