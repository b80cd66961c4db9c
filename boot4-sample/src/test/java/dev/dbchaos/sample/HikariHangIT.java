package dev.dbchaos.sample;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hang on HikariCP 7, whose connection adder gives up once its thread is interrupted
 * (HikariCP #2265): ending the fault lets the pool open connections again, and shutting
 * the application down releases every call the hang holds, the pool's own included.
 */
class HikariHangIT {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	/**
	 * Long enough that a borrow ended by the shutdown cannot be mistaken for one that
	 * timed out.
	 */
	private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(30);

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void poolOpensConnectionsAgainOnceAHangOnNewConnectionsEnds() {
		this.context = start(Duration.ofSeconds(1));
		HikariDataSource pool = this.context.getBean(HikariDataSource.class);
		FaultRegistry registry = this.context.getBean(FaultRegistry.class);
		evictAll(pool);
		FaultRule hang = registry.add(FaultSpec.builder(FaultType.HANG).build());
		JdbcTemplate jdbc = new JdbcTemplate(pool);
		// The pool's adder is now held in a connect: the application's borrow times out.
		assertThat(outcome(jdbc)).contains("Connection is not available");
		assertThat(hang.getInjections()).isPositive();
		registry.remove(hang.getId());
		await().atMost(Duration.ofSeconds(30)).until(() -> outcome(jdbc).equals("succeeds"));
	}

	@Test
	void shutdownReleasesTheCallsAHangHolds() throws Exception {
		this.context = start(BORROW_TIMEOUT);
		HikariDataSource pool = this.context.getBean(HikariDataSource.class);
		FaultRegistry registry = this.context.getBean(FaultRegistry.class);
		Connection held = pool.getConnection();
		FaultRule hang = registry.add(FaultSpec.builder(FaultType.HANG).build());
		// One call hangs on an open connection; a second borrow sets the pool's adder to
		// open a
		// connection, and that connect hangs on the adder's thread.
		Future<String> onOpenConnection = CompletableFuture.supplyAsync(() -> outcome(held));
		long borrowStart = System.nanoTime();
		CompletableFuture<String> borrowing = CompletableFuture.supplyAsync(() -> outcome(new JdbcTemplate(pool)));
		await().atMost(Duration.ofSeconds(10)).until(() -> hang.getInjections() >= 2);
		assertThat(onOpenConnection).isNotDone();
		this.context.close();
		this.context = null;
		// Released by the shutdown (the hang has no timeout of its own, and socketTimeout
		// is off):
		// the call goes on to the database, which is healthy.
		assertThat(result(onOpenConnection)).isEqualTo("succeeds");
		// The released connect either hands its connection to the borrower before the
		// pool
		// closes, or the pool closes first: both end the borrow, never its own timeout.
		assertThat(result(borrowing)).matches("succeeds|fails: .*(closed|shut down|shutdown).*");
		assertThat(Duration.ofNanos(System.nanoTime() - borrowStart)).isLessThan(BORROW_TIMEOUT);
		assertThat(pool.isClosed()).isTrue();
	}

	private static ConfigurableApplicationContext start(Duration connectionTimeout) {
		// Arguments, not default properties: those would lose to the sample's
		// application.properties.
		return new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.NONE)
			.run("--spring.datasource.url=" + postgres.createDatabase("boot4_sample_hikari_hang_it"),
					"--spring.datasource.username=" + postgres.username(),
					"--spring.datasource.password=" + postgres.password(),
					"--spring.datasource.hikari.connection-timeout=" + connectionTimeout.toMillis(),
					"--spring.datasource.hikari.minimum-idle=0",
					"--spring.datasource.hikari.data-source-properties.socketTimeout=0");
	}

	private static String outcome(JdbcTemplate jdbc) {
		try {
			jdbc.queryForObject("SELECT 1", Integer.class);
			return "succeeds";
		}
		catch (RuntimeException ex) {
			return "fails: " + messages(ex);
		}
	}

	private static String outcome(Connection connection) {
		try {
			connection.createStatement().executeQuery("SELECT 1").close();
			return "succeeds";
		}
		catch (SQLException ex) {
			return "fails: " + messages(ex);
		}
	}

	private static String messages(Throwable ex) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			messages.append((messages.length() > 0) ? " ← " : "").append(cause.getMessage());
		}
		return messages.toString();
	}

	private static String result(Future<String> call) throws InterruptedException, ExecutionException {
		await().atMost(Duration.ofSeconds(30)).until(call::isDone);
		return call.get();
	}

	private static void evictAll(HikariDataSource pool) {
		pool.getHikariPoolMXBean().softEvictConnections();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isZero());
	}

}
