package dev.dbchaos.it.observability;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server (the {@code prometheus} binary, Debian's package in CI) run as
 * a child process of the test, with its HTTP query API.
 * <p>
 * The process is stopped by {@link #close()}, and by a shutdown hook should the test JVM
 * end without it, so no Prometheus outlives the build.
 */
final class PrometheusServer implements AutoCloseable {

	/**
	 * Environment variable naming the binary, for machines where it is not on the PATH.
	 */
	static final String BINARY_VARIABLE = "PROMETHEUS_BIN";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Process process;

	private final Path log;

	private final URI base;

	private final Thread shutdownHook;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private PrometheusServer(Process process, Path log, URI base) {
		this.process = process;
		this.log = log;
		this.base = base;
		this.shutdownHook = new Thread(process::destroyForcibly, "stop-prometheus");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Find the binary: {@value #BINARY_VARIABLE}, else {@code prometheus} on the PATH,
	 * else {@code /usr/bin/prometheus}.
	 */
	static Optional<Path> findBinary() {
		String configured = System.getenv(BINARY_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			return Optional.of(Path.of(configured)).filter(Files::isExecutable);
		}
		String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
		return Stream
			.concat(Stream.of(path.split(File.pathSeparator)).filter((dir) -> !dir.isEmpty()), Stream.of("/usr/bin"))
			.map((dir) -> Path.of(dir, "prometheus"))
			.filter(Files::isExecutable)
			.findFirst();
	}

	/**
	 * Start Prometheus with the given configuration, storing its data and log under
	 * {@code workDirectory}, on a free port of the loopback interface, and wait until it
	 * is ready.
	 */
	static PrometheusServer start(Path binary, String configuration, Path workDirectory) {
		try {
			Files.createDirectories(workDirectory);
			Path config = workDirectory.resolve("prometheus.yml");
			Files.writeString(config, configuration);
			Path log = workDirectory.resolve("prometheus.log");
			int port = freePort();
			Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
					"--storage.tsdb.path=" + workDirectory.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			PrometheusServer server = new PrometheusServer(process, log, URI.create("http://127.0.0.1:" + port));
			try {
				server.awaitReady();
			}
			catch (RuntimeException ex) {
				server.close();
				throw ex;
			}
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private void awaitReady() {
		await("Prometheus ready at " + this.base).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			// Refused until it listens; an exited process is reported by the condition
			// instead.
			.ignoreExceptionsInstanceOf(UncheckedIOException.class)
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(
							"Prometheus exited with " + this.process.exitValue() + ":\n" + logTail());
				}
				return get("/-/ready").statusCode() == 200;
			});
	}

	URI uri() {
		return this.base;
	}

	/**
	 * Run an instant query (at the server's now) and return the series of its vector.
	 * @throws AssertionError if Prometheus rejects the expression
	 */
	List<Series> query(String expression) {
		return parse(expression, get("/api/v1/query?query=" + encode(expression)));
	}

	/**
	 * Run a range query, as a Grafana panel does.
	 * @throws AssertionError if Prometheus rejects the expression
	 */
	List<Series> queryRange(String expression, Instant start, Instant end, Duration step) {
		return parse(expression, get("/api/v1/query_range?query=" + encode(expression) + "&start=" + seconds(start)
				+ "&end=" + seconds(end) + "&step=" + step.toMillis() / 1000.0));
	}

	private static String seconds(Instant time) {
		return String.valueOf(time.toEpochMilli() / 1000.0);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static List<Series> parse(String expression, HttpResponse<String> response) {
		JsonNode body;
		try {
			body = JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new AssertionError("Prometheus answered " + response.statusCode() + " with no JSON to " + expression,
					ex);
		}
		if (!"success".equals(body.path("status").asText())) {
			throw new AssertionError("Prometheus rejected " + expression + ": " + body.path("errorType").asText() + ": "
					+ body.path("error").asText());
		}
		List<Series> series = new ArrayList<>();
		for (JsonNode result : body.path("data").path("result")) {
			Map<String, String> labels = new LinkedHashMap<>();
			result.path("metric")
				.fields()
				.forEachRemaining((label) -> labels.put(label.getKey(), label.getValue().asText()));
			List<Series.Sample> samples = new ArrayList<>();
			if (result.has("value")) {
				samples.add(sample(result.get("value")));
			}
			for (JsonNode value : result.path("values")) {
				samples.add(sample(value));
			}
			series.add(new Series(labels, samples));
		}
		return series;
	}

	private static Series.Sample sample(JsonNode pair) {
		Instant time = Instant.ofEpochMilli(Math.round(pair.get(0).asDouble() * 1000));
		// Prometheus writes values as strings: "NaN", "+Inf" and "-Inf" included.
		String value = pair.get(1).asText();
		return new Series.Sample(time, switch (value) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(value);
		});
	}

	private HttpResponse<String> get(String pathAndQuery) {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(pathAndQuery))
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Prometheus at " + this.base + " did not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What Prometheus says of its scrape targets (URL, health, last error), to explain a
	 * wait that timed out.
	 */
	String targets() {
		try {
			StringBuilder targets = new StringBuilder();
			for (JsonNode target : JSON.readTree(get("/api/v1/targets").body()).path("data").path("activeTargets")) {
				targets.append(target.path("scrapeUrl").asText())
					.append(' ')
					.append(target.path("health").asText())
					.append(' ')
					.append(target.path("lastError").asText())
					.append('\n');
			}
			return targets.toString();
		}
		catch (IOException | RuntimeException ex) {
			return "(no targets: " + ex + ")";
		}
	}

	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// Already shutting down: the hook is running or has run.
		}
	}

}
