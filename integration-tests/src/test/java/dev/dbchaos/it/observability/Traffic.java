package dev.dbchaos.it.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Shoppers and API clients calling the demo on a schedule, so that the HTTP, pool and
 * breaker panels have something to show. Each path is polled on its own thread with a
 * fixed delay: a request held up by the outage delays only the next request to that path,
 * and nothing piles up.
 */
final class Traffic implements AutoCloseable {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI base;

	private final ScheduledExecutorService scheduler;

	private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

	private Traffic(URI base, Map<String, Duration> pathsAndIntervals) {
		this.base = base;
		this.scheduler = Executors.newScheduledThreadPool(pathsAndIntervals.size(), (task) -> {
			Thread thread = new Thread(task, "traffic");
			thread.setDaemon(true);
			return thread;
		});
		pathsAndIntervals.forEach((path, interval) -> this.scheduler.scheduleWithFixedDelay(() -> get(path), 0,
				interval.toMillis(), TimeUnit.MILLISECONDS));
	}

	/**
	 * Start calling each path at its interval.
	 */
	static Traffic start(URI base, Map<String, Duration> pathsAndIntervals) {
		return new Traffic(base, pathsAndIntervals);
	}

	private void get(String path) {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofSeconds(10)).build();
		String answer;
		try {
			answer = path + " " + this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			answer = path + " " + ex.getClass().getSimpleName();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		this.answers.computeIfAbsent(answer, (key) -> new LongAdder()).increment();
	}

	/** How many answers of each kind ("/api/sneakers 503"), for the test's log. */
	Map<String, Long> answers() {
		Map<String, Long> counts = new TreeMap<>();
		this.answers.forEach((answer, count) -> counts.put(answer, count.sum()));
		return counts;
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
		try {
			this.scheduler.awaitTermination(15, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
