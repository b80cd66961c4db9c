package dev.dbchaos.benchmarks.recovery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.demo.DemoApplication;
import dev.dbchaos.demo.database.Database;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * The demo service, started in this JVM against a given PostgreSQL with its own
 * {@code application.properties}, and what the recovery measurement needs of it: placing
 * an order over HTTP, its fault registry, pool and circuit breaker.
 */
final class DemoService implements AutoCloseable {

	/**
	 * A released sneaker; the stock is topped up so that orders never sell out.
	 */
	private static final String ORDER = "{\"sneakerId\":3,\"size\":\"40\",\"quantity\":1}";

	private final ConfigurableApplicationContext context;

	private final HttpClient http;

	private final URI orders;

	private final HikariDataSource pool;

	private final List<Transition> transitions = new CopyOnWriteArrayList<>();

	private DemoService(ConfigurableApplicationContext context) {
		this.context = context;
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		this.orders = URI.create("http://127.0.0.1:" + port + "/api/orders");
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		try {
			this.pool = context.getBean(DataSource.class).unwrap(HikariDataSource.class);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("The demo's DataSource is not a HikariCP pool", ex);
		}
		// Consumers run on the thread that makes the transition, so the time taken is
		// when it happened.
		circuitBreaker().getEventPublisher()
			.onStateTransition((event) -> this.transitions
				.add(new Transition(System.nanoTime(), event.getStateTransition().getToState())));
	}

	/**
	 * Start the demo against a running server and stock it up for any number of orders.
	 * @param postgres the server
	 * @return the running demo
	 */
	static DemoService start(ManagedPostgres postgres) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.datasource.url", postgres.jdbcUrl());
		properties.put("spring.datasource.username", postgres.username());
		properties.put("spring.datasource.password", postgres.password());
		properties.put("spring.main.banner-mode", "off");
		// Every failed request of an outage logs a warning; thousands of them would drown
		// the report.
		properties.put("logging.level.root", "ERROR");
		// A rollback on a lost connection fails too, and TransactionTemplate logs that at
		// ERROR.
		properties.put("logging.level.org.springframework.transaction.support.TransactionTemplate", "OFF");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DemoApplication.class)
			.properties(properties)
			.run();
		DemoService demo = new DemoService(context);
		context.getBean(JdbcTemplate.class).update("UPDATE stock SET quantity = 1000000");
		return demo;
	}

	/**
	 * Place an order as an API client does.
	 * @param idempotencyKey the client's key for this purchase, the same on every retry
	 * @return the HTTP status, or -1 if no response came
	 */
	int placeOrder(String idempotencyKey) {
		HttpRequest request = HttpRequest.newBuilder(this.orders)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", idempotencyKey)
			.POST(HttpRequest.BodyPublishers.ofString(ORDER))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	FaultRegistry faultRegistry() {
		return this.context.getBean(FaultRegistry.class);
	}

	/**
	 * The breaker that every database call goes through (no dbchaos scope is bound here).
	 * @return the demo's circuit breaker named {@code Database.NAME}
	 */
	CircuitBreaker circuitBreaker() {
		return this.context.getBean(CircuitBreakerRegistry.class).circuitBreaker(Database.NAME, Database.NAME);
	}

	/**
	 * Return the time of the breaker's first transition to the given state at or after a
	 * time.
	 * @param state the state
	 * @param after the earliest time, as {@link System#nanoTime()}
	 * @return the time of the transition, or {@code null} if there was none
	 */
	Long firstTransition(CircuitBreaker.State state, long after) {
		return this.transitions.stream()
			.filter((transition) -> transition.to() == state && transition.nanos() - after >= 0)
			.map(Transition::nanos)
			.findFirst()
			.orElse(null);
	}

	/**
	 * Return how many connections the pool holds, open or not yet found broken.
	 * @return the number of connections
	 */
	int poolConnections() {
		return this.pool.getHikariPoolMXBean().getTotalConnections();
	}

	Environment environment() {
		return this.context.getEnvironment();
	}

	/**
	 * Wait until the service is as it was before any outage: circuit breaker closed and
	 * every connection of the pool open and idle, so that each trial starts from the same
	 * state.
	 * @param timeout how long to wait at most
	 */
	void awaitHealthy(Duration timeout) {
		HikariPoolMXBean bean = this.pool.getHikariPoolMXBean();
		int size = this.pool.getMaximumPoolSize();
		awaitCondition("the demo is healthy (breaker closed, " + size + " idle connections)", timeout,
				() -> circuitBreaker().getState() == CircuitBreaker.State.CLOSED && bean.getTotalConnections() == size
						&& bean.getIdleConnections() == size && bean.getThreadsAwaitingConnection() == 0);
	}

	static void awaitCondition(String description, Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Timed out after " + timeout + " waiting until " + description);
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

	private record Transition(long nanos, CircuitBreaker.State to) {

	}

}
