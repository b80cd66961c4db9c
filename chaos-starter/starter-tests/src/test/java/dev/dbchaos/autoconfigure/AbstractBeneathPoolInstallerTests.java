package dev.dbchaos.autoconfigure;

import java.sql.SQLException;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The tests every installer that puts dbchaos beneath a pool passes, on a real
 * PostgreSQL: where dbchaos goes in the pool, auto-configured by Spring Boot or declared
 * by the application, started before dbchaos saw it or not; and that the pool still works
 * as itself (its credentials, driver properties and metrics). A subclass says how its
 * pool is made, started and looked into.
 *
 * @param <P> the type of the pool
 */
abstract class AbstractBeneathPoolInstallerTests<P extends DataSource> {

	static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final Class<P> poolType;

	private final String pool;

	private final String bootProperties;

	private final ApplicationContextRunner contextRunner;

	/**
	 * Create the tests of one pool.
	 * @param poolType the pool's class
	 * @param pool the pool's name in {@link ProxyPlacement}, such as {@code dbcp2}
	 * @param bootProperties the prefix of Spring Boot's properties of the pool, such as
	 * {@code spring.datasource.dbcp2}
	 */
	AbstractBeneathPoolInstallerTests(Class<P> poolType, String pool, String bootProperties) {
		this.poolType = poolType;
		this.pool = pool;
		this.bootProperties = bootProperties;
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE, DbChaosAutoConfiguration.class))
			.withPropertyValues("dbchaos.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl(),
					"spring.datasource.username=" + postgres.username(),
					"spring.datasource.password=" + postgres.password(),
					"spring.datasource.type=" + poolType.getName());
	}

	/**
	 * Return a new pool of the PostgreSQL server, configured but not started.
	 * @return the pool
	 */
	abstract P newPool();

	/**
	 * Start the pool, with one connection open.
	 * @param pool the pool
	 * @throws SQLException if it cannot start
	 */
	abstract void start(P pool) throws SQLException;

	/**
	 * Return what the pool gets its physical connections from where dbchaos sits, such as
	 * a data source or a driver.
	 * @param pool the pool
	 * @return what it connects through, {@code null} where the pool was left as it was
	 */
	abstract Object connectsThrough(P pool);

	/**
	 * Check that what the pool connects through is dbchaos, for the data source of the
	 * given name, in front of PgJDBC.
	 * @param connectsThrough what {@link #connectsThrough} returned
	 * @param name the data source's name
	 */
	abstract void assertChaosFor(Object connectsThrough, String name);

	/**
	 * Return the name of Spring Boot's property (after the pool's prefix) for the pool's
	 * largest size, such as {@code max-total}.
	 * @return the property's name
	 */
	abstract String maximumSizeProperty();

	@Test
	void springBootsPoolGetsDbChaosBeneathItUnderItsBeanName() {
		this.contextRunner.run((context) -> {
			P pool = context.getBean(this.poolType);
			assertChaosFor(connectsThrough(pool), "dataSource");
			assertThat(context.getBean(FaultRegistry.class).getDataSources()).containsExactly("dataSource");
			assertThat(context.getBean(DbChaosDataSourcePostProcessor.class).placementOf("dataSource"))
				.isEqualTo(new ProxyPlacement(this.pool, ProxyPlacement.BENEATH_POOL));
			assertThat(new JdbcTemplate(pool).queryForObject("select 1", Integer.class)).isOne();
		});
	}

	@Test
	void aFaultBeneathThePoolBreaksItsPhysicalConnections() {
		this.contextRunner.run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			context.getBean(FaultRegistry.class)
				.add(FaultSpec.builder(FaultType.ERROR).sqlState("40001").operation(Operation.QUERY).count(1).build());
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> jdbc.queryForObject("select 1", Integer.class))
				.satisfies((ex) -> assertThat(((SQLException) ex.getCause()).getSQLState()).isEqualTo("40001"));
			assertThat(jdbc.queryForObject("select 1", Integer.class)).isOne();
		});
	}

	@Test
	void thePoolConnectsWithItsOwnCredentialsAndDriverProperties() {
		String applicationName = "dbchaos-" + this.pool;
		this.contextRunner
			.withPropertyValues(this.bootProperties + ".connection-properties=ApplicationName=" + applicationName)
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForObject("select current_setting('application_name')", String.class))
					.isEqualTo(applicationName);
				assertThat(jdbc.queryForObject("select current_user", String.class)).isEqualTo(postgres.username());
			});
	}

	@Test
	void aPoolTheApplicationDeclaresGetsDbChaosBeneathIt() {
		declaredPool(this::newPool).run((context) -> {
			P pool = context.getBean(this.poolType);
			assertChaosFor(connectsThrough(pool), "orders");
			assertThat(context.getBean(DbChaosDataSourcePostProcessor.class).placementOf("orders"))
				.isEqualTo(new ProxyPlacement(this.pool, ProxyPlacement.BENEATH_POOL));
			assertThat(new JdbcTemplate(pool).queryForObject("select current_user", String.class))
				.isEqualTo(postgres.username());
		});
	}

	@Test
	void aPoolStartedBeforeDbChaosSawItIsWrappedAsAWhole() {
		declaredPool(this::startedPool).run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(dataSource).isInstanceOf(this.poolType);
			assertThat(dataSource.isWrapperFor(ChaosDataSource.class)).isTrue();
			assertThat(connectsThrough(this.poolType.cast(dataSource))).isNull();
			assertThat(context.getBean(DbChaosDataSourcePostProcessor.class).placementOf("orders"))
				.isEqualTo(new ProxyPlacement(this.pool, ProxyPlacement.ABOVE_POOL));
			assertThat(context.getBean(FaultRegistry.class).getDataSources()).containsExactly("orders");
		});
	}

	@Test
	void springBootsPoolMetricsStillReadThePool() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.METRICS,
					BootAutoConfigurations.SIMPLE_METRICS_EXPORT, BootAutoConfigurations.DATA_SOURCE_POOL_METRICS))
			.withPropertyValues(this.bootProperties + "." + maximumSizeProperty() + "=7")
			.run((context) -> {
				new JdbcTemplate(context.getBean(DataSource.class)).queryForObject("select 1", Integer.class);
				assertThat(context.getBean(MeterRegistry.class)
					.get("jdbc.connections.max")
					.tag("name", "dataSource")
					.gauge()
					.value()).isEqualTo(7);
			});
	}

	// The application's own pool bean, "orders", beside dbchaos and nothing of Spring
	// Boot's data source configuration.
	private ApplicationContextRunner declaredPool(Supplier<P> pool) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DbChaosAutoConfiguration.class))
			.withPropertyValues("dbchaos.enabled=true")
			.withBean("orders", this.poolType, pool, (definition) -> definition.setDestroyMethodName("close"));
	}

	private P startedPool() {
		P pool = newPool();
		try {
			start(pool);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not start " + pool, ex);
		}
		return pool;
	}

}
