package dev.dbchaos.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.testdatabases.ManagedMariaDb;
import dev.dbchaos.testdatabases.SqlFailures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The scenarios of the MySQL-protocol drivers' fidelity tests ({@link MariaDbFidelityIT}
 * for MariaDB Connector/J, {@link MySqlFidelityIT} for MySQL Connector/J), against one
 * real MariaDB: each runs the real failure, then the injected fault, through the same
 * stack (HikariCP with dbchaos beneath it, {@link JdbcTemplate} on top) and returns both
 * observations, which the test compares with its driver's explanations. The driver is
 * whichever takes the URL the scenarios are given.
 */
final class MySqlProtocolScenarios {

	/** How long a call to a frozen server without a socket timeout is watched. */
	static final Duration WATCHED = Duration.ofSeconds(2);

	/**
	 * How long a new connection to a frozen server is watched: longer than any timeout
	 * the scenarios set, so that one that ends it is seen.
	 */
	static final Duration WATCHED_CONNECT = Duration.ofSeconds(5);

	/** The update of the deadlock's victim, which closes the cycle. */
	static final String VICTIM = "update sneakers set name = 'a' where id = 2";

	/** The update that waits for the row another transaction holds. */
	static final String BLOCKED = "update sneakers set name = 'b' where id = 3";

	/** The fetch size of the result a result reset breaks. */
	static final int STREAMED_FETCH_SIZE = 10;

	private static final String SELECT = Observe.SELECT;

	private static final String INSERT = Observe.INSERT;

	private final ManagedMariaDb mariadb;

	private final String jdbcUrl;

	private final FaultRegistry registry;

	private final FidelityPools pools;

	/** Counts the rows a scenario wrote, straight on the server. */
	private final Observe.RowCounter rows = Observe.RowCounter.on(this::connect);

	/**
	 * Create the scenarios of one test.
	 * @param mariadb the server the test owns
	 * @param jdbcUrl the URL, which chooses the driver
	 * @param registry the rules the pools take their faults from
	 * @param pools the test's pools
	 */
	MySqlProtocolScenarios(ManagedMariaDb mariadb, String jdbcUrl, FaultRegistry registry, FidelityPools pools) {
		this.mariadb = mariadb;
		this.jdbcUrl = jdbcUrl;
		this.registry = registry;
		this.pools = pools;
	}

	/**
	 * Create the table every scenario reads and writes.
	 * @param connection a connection to the test's database
	 * @throws SQLException if the server refuses
	 */
	static void createTable(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("create table sneakers (id int auto_increment primary key, name varchar(100) not null)");
			statement.execute("insert into sneakers (name) values ('jordan'), ('air'), ('max')");
		}
	}

	Observed outageOnNewConnection() {
		HikariDataSource realPool = this.pools.started(this.jdbcUrl);
		Observe.evictAll(realPool);
		Map<String, String> real;
		this.mariadb.stop();
		try {
			real = Observe.failure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
			Observe.newPhysicalConnection(real, "beneath the pool", realPool);
		}
		finally {
			this.mariadb.start();
		}
		HikariDataSource injectedPool = this.pools.started(this.jdbcUrl);
		Observe.evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build());
		Map<String, String> injected = Observe
			.failure(() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
		Observe.newPhysicalConnection(injected, "beneath the pool", injectedPool);
		return new Observed(real, injected);
	}

	/**
	 * An open connection meets a failure of the server, then an injected fault.
	 * @param failure what the server undergoes, such as {@link ManagedMariaDb#kill()}
	 * @param fault the fault that imitates it
	 * @return what the application saw each time
	 */
	Observed openConnectionFailure(Runnable failure, FaultSpec fault) throws SQLException {
		HikariDataSource realPool = this.pools.started(this.jdbcUrl);
		Map<String, String> real = failOnHeldConnection(realPool, failure, this.mariadb::start,
				(observation, held, physical) -> Observe.laterUse(observation, held, physical, realPool));
		HikariDataSource injectedPool = this.pools.started(this.jdbcUrl);
		Map<String, String> injected = failOnHeldConnection(injectedPool, () -> this.registry.add(fault), () -> {
		}, (observation, held, physical) -> Observe.laterUse(observation, held, physical, injectedPool));
		return new Observed(real, injected);
	}

	Observed hangAtTheSocketTimeout() throws SQLException {
		Map<String, String> real = failOnHeldConnection(this.pools.started(this.jdbcUrl), this.mariadb::freeze,
				this.mariadb::thaw, (observation, held, physical) -> Observe.beneathThePool(observation, physical));
		Map<String, String> injected = failOnHeldConnection(this.pools.started(this.jdbcUrl),
				() -> this.registry.add(FaultSpec.builder(FaultType.HANG).build()), () -> {
				}, (observation, held, physical) -> Observe.beneathThePool(observation, physical));
		return new Observed(real, injected);
	}

	/**
	 * A commit that reaches the server and commits, whose reply the network loses.
	 * @return what the application saw each time
	 */
	Observed ambiguousCommit() throws Exception {
		Map<String, String> real = NetworkCut.observe(this.pools, this.jdbcUrl,
				(pool, network) -> Observe.lostCommitReply(pool, () -> network.afterReplyTo("COMMIT"), this.rows));
		Map<String, String> injected = Observe.lostCommitReply(this.pools.started(this.jdbcUrl),
				() -> this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).count(1).build()), this.rows);
		return new Observed(real, injected);
	}

	/**
	 * A write in auto-commit mode that the server runs and commits, whose reply the
	 * network loses.
	 * @return what the application saw each time
	 */
	Observed ambiguousAutoCommitWrite() throws Exception {
		String write = "insert into sneakers";
		Map<String, String> real = NetworkCut.observe(this.pools, this.jdbcUrl,
				(pool, network) -> Observe.lostAutoCommitReply(pool, () -> network.afterReplyTo(write), this.rows));
		Map<String, String> injected = Observe.lostAutoCommitReply(this.pools.started(this.jdbcUrl),
				() -> this.registry.add(FaultSpec.builder(FaultType.AMBIGUOUS_COMMIT).sql(write).count(1).build()),
				this.rows);
		return new Observed(real, injected);
	}

	/**
	 * A streamed result ({@link #STREAMED_FETCH_SIZE}) whose connection the network cuts
	 * while the rows are on their way. Rows of 100 kB keep those already received to the
	 * few the sockets' buffers hold.
	 * @param jdbcUrl the URL, with what makes the driver stream a result
	 * @return what the application saw each time
	 */
	Observed resultReset(String jdbcUrl) throws Exception {
		String query = "select seq, repeat('x', 100000) from seq_1_to_400";
		Map<String, String> real = NetworkCut.observe(this.pools, jdbcUrl,
				(pool, network) -> Observe.brokenResult(pool, query, STREAMED_FETCH_SIZE, network::now));
		this.registry
			.add(FaultSpec.builder(FaultType.RESULT_RESET).afterRows(STREAMED_FETCH_SIZE).sql("seq_1_to").build());
		Map<String, String> injected = Observe.brokenResult(this.pools.started(jdbcUrl), query, STREAMED_FETCH_SIZE,
				() -> {
				});
		return new Observed(real, injected);
	}

	/**
	 * An update of a table another session holds with {@code LOCK TABLES … WRITE}, as a
	 * migration does, then of one dbchaos locks, both meeting the session's
	 * {@code lock_wait_timeout} of 1 s.
	 * @return what the application saw each time
	 */
	Observed lock() throws SQLException {
		String update = "update sneakers set name = 'dunk' where id = 1";
		Consumer<HikariConfig> lockWaitTimeout = (config) -> config
			.setConnectionInitSql("SET SESSION lock_wait_timeout = 1");
		HikariDataSource realPool = this.pools.started(this.jdbcUrl, lockWaitTimeout);
		Map<String, String> real;
		try (Connection migration = connect(); Statement statement = migration.createStatement()) {
			statement.execute("lock tables sneakers write");
			real = Observe.failure(() -> new JdbcTemplate(realPool).update(update));
			statement.execute("unlock tables");
		}
		HikariDataSource injectedPool = this.pools.started(this.jdbcUrl, lockWaitTimeout);
		FaultRule lock = this.registry.add(FaultSpec.builder(FaultType.LOCK).table("sneakers").build());
		Map<String, String> injected;
		try {
			injected = Observe.failure(() -> new JdbcTemplate(injectedPool).update(update));
		}
		finally {
			this.registry.remove(lock.getId());
		}
		return new Observed(real, injected);
	}

	/**
	 * A connection the application holds, and one beneath the pool, both used once, meet
	 * a failure: what the held one's next query meets, then what else the test observes.
	 * @param pool the pool
	 * @param failure what brings the failure about
	 * @param recovery what ends it, once observed
	 * @param then what to observe after the failure
	 * @return the observation
	 */
	private static Map<String, String> failOnHeldConnection(HikariDataSource pool, Runnable failure, Runnable recovery,
			AfterFailure then) throws SQLException {
		try (Connection held = pool.getConnection(); Connection physical = pool.getDataSource().getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			failure.run();
			try {
				Map<String, String> observation = Observe.failure(() -> onHeld.queryForObject(SELECT, String.class));
				then.observe(observation, held, physical);
				return observation;
			}
			finally {
				recovery.run();
			}
		}
	}

	/**
	 * Without a socket timeout nothing but the server's return ends a call: it is watched
	 * for a while, then the server thaws (or the fault ends), and the call goes on.
	 */
	Observed hangWithoutSocketTimeout() throws Exception {
		HikariDataSource realPool = this.pools.started(this.jdbcUrl,
				(config) -> config.getDataSourceProperties().remove("socketTimeout"));
		Map<String, String> real = FidelityTable.observation();
		try (Connection held = realPool.getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			this.mariadb.freeze();
			try {
				observeHeldCall(real, onHeld, this.mariadb::thaw);
			}
			finally {
				this.mariadb.thaw();
			}
		}
		HikariDataSource injectedPool = this.pools.started(this.jdbcUrl,
				(config) -> config.getDataSourceProperties().remove("socketTimeout"));
		Map<String, String> injected = FidelityTable.observation();
		try (Connection held = injectedPool.getConnection()) {
			JdbcTemplate onHeld = new JdbcTemplate(new SingleConnectionDataSource(held, true));
			onHeld.queryForObject(SELECT, String.class);
			String hang = this.registry.add(FaultSpec.builder(FaultType.HANG).build()).getId();
			observeHeldCall(injected, onHeld, () -> this.registry.remove(hang));
		}
		return new Observed(real, injected);
	}

	private static void observeHeldCall(Map<String, String> observation, JdbcTemplate onHeld, Runnable release)
			throws InterruptedException, ExecutionException {
		CompletableFuture<String> call = CompletableFuture
			.supplyAsync(() -> Observe.statement(() -> onHeld.queryForObject(SELECT, String.class)));
		try {
			observation.put("call after " + WATCHED.toSeconds() + " s",
					call.get(WATCHED.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (TimeoutException ex) {
			observation.put("call after " + WATCHED.toSeconds() + " s", "still waiting");
		}
		release.run();
		try {
			observation.put("once the server answers again", call.get(30, TimeUnit.SECONDS));
		}
		catch (TimeoutException ex) {
			observation.put("once the server answers again", "still waiting after 30 s");
		}
	}

	/**
	 * New connections to a frozen server. HikariCP sets the DriverManager's login timeout
	 * to its {@code connectionTimeout} (1 s) when a pool starts, so that the driver's
	 * attempt and the pool's wait would end at the same moment, and whether the pool's
	 * exception carries the attempt's failure would be a race; the login timeout is taken
	 * away for the pool's part, so that the pool gives up first in both runs.
	 */
	Observed hangOnNewConnection() throws InterruptedException {
		String connectTimeoutUrl = this.jdbcUrl + "?connectTimeout=1000";
		HikariDataSource realPool = this.pools.started(this.jdbcUrl);
		HikariDataSource realConnectTimeoutPool = this.pools.started(connectTimeoutUrl);
		Observe.evictAll(realPool);
		Map<String, String> real;
		int loginTimeout = DriverManager.getLoginTimeout();
		DriverManager.setLoginTimeout(0);
		this.mariadb.freeze();
		try {
			real = Observe.failure(() -> new JdbcTemplate(realPool).queryForObject(SELECT, String.class));
			observeNewPhysicalConnections(real, realPool, realConnectTimeoutPool);
		}
		finally {
			this.mariadb.thaw();
			DriverManager.setLoginTimeout(loginTimeout);
		}
		HikariDataSource injectedPool = this.pools.started(this.jdbcUrl);
		HikariDataSource injectedConnectTimeoutPool = this.pools.started(connectTimeoutUrl);
		Observe.evictAll(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.HANG).build());
		Map<String, String> injected;
		DriverManager.setLoginTimeout(0);
		try {
			injected = Observe.failure(() -> new JdbcTemplate(injectedPool).queryForObject(SELECT, String.class));
			observeNewPhysicalConnections(injected, injectedPool, injectedConnectTimeoutPool);
		}
		finally {
			DriverManager.setLoginTimeout(loginTimeout);
		}
		return new Observed(real, injected);
	}

	/**
	 * How the driver gives a new connection up, beneath the pool: with the
	 * DriverManager's login timeout set (1 s), and with {@code connectTimeout} in the
	 * URL. The drivers' defaults (MariaDB Connector/J 30 s, MySQL Connector/J none) are
	 * not waited for.
	 */
	private static void observeNewPhysicalConnections(Map<String, String> observation, HikariDataSource pool,
			HikariDataSource connectTimeoutPool) throws InterruptedException {
		int loginTimeout = DriverManager.getLoginTimeout();
		DriverManager.setLoginTimeout(1);
		try {
			watchNewPhysicalConnection(observation, "beneath the pool, DriverManager login timeout 1 s", pool);
		}
		finally {
			DriverManager.setLoginTimeout(loginTimeout);
		}
		watchNewPhysicalConnection(observation, "beneath the pool, connectTimeout=1000 in the URL", connectTimeoutPool);
	}

	/**
	 * Open a physical connection, watched for {@link #WATCHED_CONNECT}: an attempt still
	 * waiting then is told so, and goes on in the background until the server answers
	 * again or the fault ends.
	 */
	private static void watchNewPhysicalConnection(Map<String, String> observation, String aspect,
			HikariDataSource pool) throws InterruptedException {
		CompletableFuture<Map<String, String>> attempt = CompletableFuture.supplyAsync(() -> {
			Map<String, String> attempted = FidelityTable.observation();
			Observe.newPhysicalConnection(attempted, aspect, pool);
			return attempted;
		});
		try {
			observation.putAll(attempt.get(WATCHED_CONNECT.toMillis(), TimeUnit.MILLISECONDS));
		}
		catch (TimeoutException ex) {
			observation.put(aspect + ": new connection", "still waiting after " + WATCHED_CONNECT.toSeconds() + " s");
			observation.put(aspect + ": gives up after", "still waiting");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	Observed readOnly() throws SQLException {
		HikariDataSource realPool = this.pools.started(this.jdbcUrl);
		JdbcTemplate realTemplate = new JdbcTemplate(realPool);
		Map<String, String> real;
		this.mariadb.setReadOnly(true);
		try {
			real = Observe.failure(() -> realTemplate.update(INSERT));
			Observe.otherStatements(real, realTemplate);
			observeTransactionAfterError(real, realPool, false, () -> {
			}, INSERT);
		}
		finally {
			this.mariadb.setReadOnly(false);
		}
		HikariDataSource injectedPool = this.pools.started(this.jdbcUrl);
		JdbcTemplate injectedTemplate = new JdbcTemplate(injectedPool);
		this.registry.add(FaultSpec.builder(FaultType.READ_ONLY).build());
		Map<String, String> injected = Observe.failure(() -> injectedTemplate.update(INSERT));
		Observe.otherStatements(injected, injectedTemplate);
		observeTransactionAfterError(injected, injectedPool, false, () -> {
		}, INSERT);
		return new Observed(real, injected);
	}

	/**
	 * Two transactions in a deadlock, the victim's in a {@link TransactionTemplate} and
	 * then carried on with, against an error rule with the deadlock's SQLState and vendor
	 * code only.
	 */
	Observed deadlock() throws Exception {
		HikariDataSource realPool = this.pools.started(this.jdbcUrl);
		Map<String, String> real = FidelityTable.observation();
		try (Deadlock deadlock = new Deadlock()) {
			real.putAll(Observe.failure(() -> new TransactionTemplate(new DataSourceTransactionManager(realPool))
				.executeWithoutResult((status) -> {
					JdbcTemplate template = new JdbcTemplate(realPool);
					template.update("update sneakers set name = 'a' where id = 1");
					deadlock.waitForRowOne();
					template.update(VICTIM);
				})));
		}
		try (Deadlock deadlock = new Deadlock()) {
			observeTransactionAfterError(real, realPool, true, deadlock::waitForRowOne, VICTIM);
		}
		HikariDataSource injectedPool = this.pools.started(this.jdbcUrl);
		this.registry.add(FaultSpec.builder(FaultType.ERROR)
			.sqlState("40001")
			.vendorCode(1213)
			.operation(Operation.UPDATE)
			.sql("where id = 2$")
			.build());
		Map<String, String> injected = FidelityTable.observation();
		injected.putAll(Observe.failure(() -> new TransactionTemplate(new DataSourceTransactionManager(injectedPool))
			.executeWithoutResult((status) -> {
				JdbcTemplate template = new JdbcTemplate(injectedPool);
				template.update("update sneakers set name = 'a' where id = 1");
				template.update(VICTIM);
			})));
		observeTransactionAfterError(injected, injectedPool, true, () -> {
		}, VICTIM);
		return new Observed(real, injected);
	}

	/**
	 * An update that waits for a row another transaction holds until its session's
	 * {@code innodb_lock_wait_timeout} (1 s) runs out, against a latency of 1 s followed
	 * by an error rule with the error's SQLState and vendor code only.
	 */
	Observed lockWaitTimeout() throws Exception {
		HikariDataSource realPool = this.pools.started(this.jdbcUrl,
				(config) -> config.setConnectionInitSql("SET SESSION innodb_lock_wait_timeout = 1"));
		Map<String, String> real;
		try (Connection other = lockRowThree()) {
			real = Observe.failure(() -> new JdbcTemplate(realPool).update(BLOCKED));
			observeTransactionAfterError(real, realPool, true, () -> {
			}, BLOCKED);
			other.rollback();
		}
		HikariDataSource injectedPool = this.pools.started(this.jdbcUrl);
		// The real error comes when innodb_lock_wait_timeout runs out: a latency rule
		// before the error rule makes the injected one wait as long.
		this.registry.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofSeconds(1)).sql("id = 3$").build());
		this.registry.add(FaultSpec.builder(FaultType.ERROR).sqlState("HY000").vendorCode(1205).sql("id = 3$").build());
		Map<String, String> injected = Observe.failure(() -> new JdbcTemplate(injectedPool).update(BLOCKED));
		observeTransactionAfterError(injected, injectedPool, true, () -> {
		}, BLOCKED);
		return new Observed(real, injected);
	}

	Observed duplicateKey() throws SQLException {
		String duplicate = "insert into sneakers (id, name) values (1, 'again')";
		HikariDataSource realPool = this.pools.started(this.jdbcUrl);
		Map<String, String> real = Observe.failure(() -> new JdbcTemplate(realPool).update(duplicate));
		observeTransactionAfterError(real, realPool, true, () -> {
		}, duplicate);
		HikariDataSource injectedPool = this.pools.started(this.jdbcUrl);
		// No message: MariaDB's for the code, worded for the row of id 1.
		this.registry
			.add(FaultSpec.builder(FaultType.ERROR).sqlState("23000").vendorCode(1062).sql("values \\(1,").build());
		Map<String, String> injected = Observe.failure(() -> new JdbcTemplate(injectedPool).update(duplicate));
		observeTransactionAfterError(injected, injectedPool, true, () -> {
		}, duplicate);
		return new Observed(real, injected);
	}

	Observed recovery() {
		JdbcTemplate realTemplate = new JdbcTemplate(this.pools.started(this.jdbcUrl));
		Map<String, String> real = FidelityTable.observation();
		this.mariadb.stop();
		try {
			real.put("query during the outage", Observe.outcome(realTemplate));
		}
		finally {
			this.mariadb.start();
		}
		real.put("same pool answers again, nothing reset", Observe.recovery(realTemplate));
		JdbcTemplate injectedTemplate = new JdbcTemplate(this.pools.started(this.jdbcUrl));
		Map<String, String> injected = FidelityTable.observation();
		String outage = this.registry.add(FaultSpec.builder(FaultType.OUTAGE).build()).getId();
		injected.put("query during the outage", Observe.outcome(injectedTemplate));
		this.registry.remove(outage);
		injected.put("same pool answers again, nothing reset", Observe.recovery(injectedTemplate));
		return new Observed(real, injected);
	}

	/**
	 * What an application that catches the error and carries on in the same transaction
	 * meets: MariaDB rolls back the whole transaction after a deadlock, only the failed
	 * statement after its other errors. A row the transaction wrote before the error
	 * tells which; it is looked up by its key with a plain read, which takes no locks, so
	 * that a transaction still holding rows (the other side of a deadlock or of a lock
	 * wait) does not hold the check up.
	 */
	private static void observeTransactionAfterError(Map<String, String> observation, HikariDataSource pool,
			boolean writeBefore, Runnable conflict, String failing) throws SQLException {
		try (Connection connection = pool.getConnection()) {
			connection.setAutoCommit(false);
			int written = 0;
			try (Statement statement = connection.createStatement()) {
				if (writeBefore) {
					statement.executeUpdate("insert into sneakers (name) values ('written before the error')",
							Statement.RETURN_GENERATED_KEYS);
					try (ResultSet keys = statement.getGeneratedKeys()) {
						assertThat(keys.next()).as("the key of the row written before the error").isTrue();
						written = keys.getInt(1);
					}
					statement.executeUpdate("update sneakers set name = 'a' where id = 1");
				}
				else {
					statement.executeQuery(SELECT).close();
				}
				conflict.run();
				SQLException failure = catchThrowableOfType(SQLException.class, () -> statement.execute(failing));
				assertThat((Throwable) failure).as("the statement in a transaction").isNotNull();
				observation.put("same transaction: next statement", SqlFailures
					.describe(catchThrowableOfType(SQLException.class, () -> statement.executeQuery(SELECT))));
				observation.put("same transaction: commit",
						SqlFailures.describe(catchThrowableOfType(SQLException.class, connection::commit)));
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
			if (writeBefore) {
				observation.put("same transaction: the write before the error, after the commit",
						removeIfCommitted(connection, written) ? "committed" : "rolled back");
			}
		}
	}

	private static boolean removeIfCommitted(Connection connection, int id) throws SQLException {
		try (PreparedStatement read = connection.prepareStatement("select count(*) from sneakers where id = ?")) {
			read.setInt(1, id);
			try (ResultSet result = read.executeQuery()) {
				result.next();
				if (result.getInt(1) == 0) {
					return false;
				}
			}
		}
		try (PreparedStatement delete = connection.prepareStatement("delete from sneakers where id = ?")) {
			delete.setInt(1, id);
			delete.executeUpdate();
		}
		return true;
	}

	/** Another client's transaction holding row 3. */
	private Connection lockRowThree() throws SQLException {
		Connection other = connect();
		other.setAutoCommit(false);
		try (Statement statement = other.createStatement()) {
			statement.executeUpdate("update sneakers set name = 'locked' where id = 3");
		}
		return other;
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(this.jdbcUrl, this.mariadb.username(), this.mariadb.password());
	}

	/**
	 * What a scenario observes once a held connection failed.
	 */
	@FunctionalInterface
	private interface AfterFailure {

		void observe(Map<String, String> observation, Connection held, Connection physical) throws SQLException;

	}

	/**
	 * What one scenario gave under the real failure and under the injected fault.
	 *
	 * @param real what the real failure gave
	 * @param injected what the injected fault gave
	 */
	record Observed(Map<String, String> real, Map<String, String> injected) {

	}

	/**
	 * Another transaction in the way of the deadlock's victim: it holds row 2, then waits
	 * for row 1, which the victim holds, so that the victim's update of row 2 closes the
	 * cycle. It writes more rows than the victim, so that InnoDB, which rolls back the
	 * transaction that did the least, picks the victim.
	 */
	private final class Deadlock implements AutoCloseable {

		private static final String ROW_ONE_OF_THE_OTHER = "update sneakers set name = 'b' where id = 1";

		private final Connection other;

		private CompletableFuture<Void> waiting = CompletableFuture.completedFuture(null);

		Deadlock() throws SQLException {
			this.other = connect();
			this.other.setAutoCommit(false);
			try (Statement statement = this.other.createStatement()) {
				statement.executeUpdate("update sneakers set name = 'b' where id = 2");
				statement.executeUpdate("insert into sneakers (name) values ('weight'), ('weight'), ('weight'), "
						+ "('weight'), ('weight'), ('weight'), ('weight'), ('weight')");
			}
		}

		/**
		 * Have the other transaction, in a thread of its own, wait for row 1, and return
		 * once InnoDB says it waits for that lock.
		 */
		void waitForRowOne() {
			this.waiting = CompletableFuture.runAsync(() -> {
				try (Statement statement = this.other.createStatement()) {
					statement.executeUpdate(ROW_ONE_OF_THE_OTHER);
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			try (Connection watcher = connect()) {
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> this.waiting.isDone() || waitsForRowOne(watcher));
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			// The other transaction's update must still wait: had it ended, there would
			// be no cycle to close.
			assertThat(this.waiting).as("the other transaction's update of row 1").isNotDone();
		}

		/**
		 * Whether InnoDB has the other transaction waiting for its lock on row 1. Told by
		 * its statement, which no one else runs: MariaDB 10.11's {@code innodb_trx} does
		 * not always name the waiting session by its {@code connection_id()}.
		 */
		private static boolean waitsForRowOne(Connection watcher) throws SQLException {
			try (PreparedStatement statement = watcher.prepareStatement(
					"select count(*) from information_schema.innodb_trx where trx_state = 'LOCK WAIT' and trx_query = ?")) {
				statement.setString(1, ROW_ONE_OF_THE_OTHER);
				try (ResultSet result = statement.executeQuery()) {
					return result.next() && result.getInt(1) > 0;
				}
			}
		}

		/**
		 * Once the victim is rolled back the other transaction gets row 1; it is rolled
		 * back in turn, so that the next scenario finds every row free.
		 */
		@Override
		public void close() throws Exception {
			try {
				this.waiting.get(30, TimeUnit.SECONDS);
			}
			finally {
				this.other.rollback();
				this.other.close();
			}
		}

	}

}
