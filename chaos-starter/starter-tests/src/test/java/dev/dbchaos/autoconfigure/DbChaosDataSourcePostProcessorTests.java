package dev.dbchaos.autoconfigure;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.beans.factory.config.CustomScopeConfigurer;
import org.springframework.beans.factory.config.Scope;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.JdbcCall;
import dev.dbchaos.fault.Operation;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DbChaosDataSourcePostProcessor} with data sources that are not plain
 * singletons: scoped ({@code @RefreshScope}-like) data sources, a pool sealed before
 * dbchaos saw it, and beans that are destroyed. Against a real PostgreSQL.
 */
class DbChaosDataSourcePostProcessorTests {

	private static final ManagedPostgres postgres = ManagedPostgres.shared();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbChaosAutoConfiguration.class))
		.withPropertyValues("dbchaos.enabled=true");

	@Test
	void aRefreshScopedPoolIsWrappedOnceUnderItsOwnNameAndStaysWrappedOnceAcrossRefreshes() {
		this.contextRunner.withUserConfiguration(RefreshScopeConfiguration.class, ScopedHikariConfiguration.class)
			.run((context) -> {
				DataSource dataSource = context.getBean("dataSource", DataSource.class);
				assertThat(dataSource).isInstanceOf(HikariDataSource.class);
				assertThat(injectionsOfOneQuery(context, dataSource)).containsExactly("dataSource");
				Object target = ((ScopedObject) dataSource).getTargetObject();

				scope(context).refresh();
				assertThat(((HikariDataSource) target).isClosed()).isTrue();
				assertThat(((ScopedObject) dataSource).getTargetObject()).isNotSameAs(target);
				assertThat(injectionsOfOneQuery(context, dataSource)).containsExactly("dataSource");
				assertThat(context.getBean(FaultRegistry.class).getDataSources()).containsExactly("dataSource");
			});
	}

	@Test
	void aScopedPoolWhoseScopeIsNotActiveAtStartUpIsWrappedOnce() {
		this.contextRunner
			.withUserConfiguration(InactiveAtStartUpScopeConfiguration.class, ScopedHikariConfiguration.class)
			.run((context) -> {
				DataSource dataSource = context.getBean("dataSource", DataSource.class);
				scope(context).activate();
				assertThat(injectionsOfOneQuery(context, dataSource)).containsExactly("dataSource");
				assertThat(context.getBean(FaultRegistry.class).getDataSources()).containsExactly("dataSource");
			});
	}

	@Test
	void anInterfaceScopedDataSourceWhoseScopeIsNotActiveAtStartUpIsWrappedOnce() {
		this.contextRunner
			.withUserConfiguration(InactiveAtStartUpScopeConfiguration.class, ScopedInterfaceConfiguration.class)
			.run((context) -> {
				DataSource dataSource = context.getBean("dataSource", DataSource.class);
				scope(context).activate();
				assertThat(injectionsOfOneQuery(context, dataSource)).containsExactly("dataSource");
				scope(context).refresh();
				assertThat(injectionsOfOneQuery(context, dataSource)).containsExactly("dataSource");
				assertThat(context.getBean(FaultRegistry.class).getDataSources()).containsExactly("dataSource");
			});
	}

	@Test
	void aScopedDataSourcesFaultsMatchItsBeanName() {
		this.contextRunner.withUserConfiguration(RefreshScopeConfiguration.class, ScopedHikariConfiguration.class)
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean("dataSource", DataSource.class));
				context.getBean(FaultRegistry.class)
					.add(FaultSpec.builder(FaultType.ERROR)
						.sqlState("40001")
						.operation(Operation.QUERY)
						.dataSource("dataSource")
						.build());
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> jdbc.queryForObject("select 1", Integer.class))
					.satisfies((ex) -> assertThat(((SQLException) ex.getCause()).getSQLState()).isEqualTo("40001"));
			});
	}

	@Test
	void aPoolSealedBeforeDbChaosSawItIsWrappedAsAWholeAndRegisteredOnce() {
		this.contextRunner.withUserConfiguration(SuspendedPoolConfiguration.class).run((context) -> {
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			assertThat(pool.getDataSource()).isNull();
			assertThat(pool.isWrapperFor(ChaosDataSource.class)).isTrue();
			pool.getHikariPoolMXBean().resumePool();
			assertThat(injectionsOfOneQuery(context, pool)).containsExactly("dataSource");
			assertThat(context.getBean(FaultRegistry.class).getDataSources()).containsExactly("dataSource");
		});
	}

	@Test
	void aDataSourceBeanThatIsDestroyedIsUnregistered() {
		AtomicReference<FaultRegistry> registry = new AtomicReference<>();
		this.contextRunner.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.DATA_SOURCE))
			.withPropertyValues("spring.datasource.url=" + postgres.jdbcUrl(),
					"spring.datasource.username=" + postgres.username(),
					"spring.datasource.password=" + postgres.password())
			.run((context) -> {
				registry.set(context.getBean(FaultRegistry.class));
				assertThat(registry.get().getDataSources()).containsExactly("dataSource");
				assertThat(
						new JdbcTemplate(context.getBean(DataSource.class)).queryForObject("select 1", Integer.class))
					.isOne();
			});
		assertThat(registry.get().getDataSources()).isEmpty();
	}

	@Test
	void aWrappedScopedDataSourceIsUnregisteredWhenTheContextCloses() {
		AtomicReference<FaultRegistry> registry = new AtomicReference<>();
		this.contextRunner.withUserConfiguration(RefreshScopeConfiguration.class, ScopedHikariConfiguration.class)
			.run((context) -> {
				registry.set(context.getBean(FaultRegistry.class));
				context.getBean("dataSource", DataSource.class);
				assertThat(registry.get().getDataSources()).containsExactly("dataSource");
			});
		assertThat(registry.get().getDataSources()).isEmpty();
	}

	/**
	 * Runs one query under a latency fault for queries of any data source and returns the
	 * data source names of the injections it met: one per chaos data source the query
	 * went through.
	 */
	private static List<String> injectionsOfOneQuery(AssertableApplicationContext context, DataSource dataSource) {
		FaultRegistry registry = context.getBean(FaultRegistry.class);
		List<String> injections = new CopyOnWriteArrayList<>();
		FaultRule latency = registry
			.add(FaultSpec.builder(FaultType.LATENCY).delay(Duration.ofMillis(1)).operation(Operation.QUERY).build());
		try (dev.dbchaos.Registration listener = registry.addListener(new FaultListener() {
			@Override
			public void injected(FaultRule rule, JdbcCall call) {
				if (rule == latency) {
					injections.add(call.dataSource());
				}
			}
		})) {
			assertThat(new JdbcTemplate(dataSource).queryForObject("select 1", Integer.class)).isOne();
		}
		finally {
			registry.remove(latency.getId());
		}
		return injections;
	}

	private static RefreshLikeScope scope(AssertableApplicationContext context) {
		return context.getBean(RefreshLikeScope.class);
	}

	private static HikariDataSource newPool() {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(postgres.jdbcUrl());
		pool.setUsername(postgres.username());
		pool.setPassword(postgres.password());
		pool.setConnectionTimeout(5000);
		return pool;
	}

	/**
	 * Registers the {@link RefreshLikeScope} bean that the importing configuration
	 * defines as scope {@code refresh}.
	 */
	@Configuration(proxyBeanMethods = false)
	static class RefreshLikeScopeRegistration {

		@Bean
		static CustomScopeConfigurer refreshLikeScopeConfigurer(RefreshLikeScope scope) {
			CustomScopeConfigurer configurer = new CustomScopeConfigurer();
			configurer.addScope("refresh", scope);
			return configurer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(RefreshLikeScopeRegistration.class)
	static class RefreshScopeConfiguration {

		@Bean
		static RefreshLikeScope refreshLikeScope() {
			return new RefreshLikeScope(true);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(RefreshLikeScopeRegistration.class)
	static class InactiveAtStartUpScopeConfiguration {

		@Bean
		static RefreshLikeScope refreshLikeScope() {
			return new RefreshLikeScope(false);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ScopedHikariConfiguration {

		// As @RefreshScope declares it: a class-based scoped proxy.
		@Bean
		@org.springframework.context.annotation.Scope(scopeName = "refresh", proxyMode = ScopedProxyMode.TARGET_CLASS)
		HikariDataSource dataSource() {
			return newPool();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ScopedInterfaceConfiguration {

		@Bean
		@org.springframework.context.annotation.Scope(scopeName = "refresh", proxyMode = ScopedProxyMode.INTERFACES)
		DataSource dataSource() {
			return new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.jdbcUrl(), postgres.username(),
					postgres.password());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SuspendedPoolConfiguration {

		// Started, so its configuration is sealed, then suspended, so it does not count
		// as
		// running: dbchaos cannot get beneath it.
		@Bean
		HikariDataSource dataSource() {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(postgres.jdbcUrl());
			config.setUsername(postgres.username());
			config.setPassword(postgres.password());
			config.setConnectionTimeout(5000);
			config.setAllowPoolSuspension(true);
			HikariDataSource pool = new HikariDataSource(config);
			pool.getHikariPoolMXBean().suspendPool();
			return pool;
		}

	}

	/**
	 * A scope like Spring Cloud's refresh scope: one instance per bean until
	 * {@link #refresh()} destroys them all, the next call then creating new ones. It can
	 * start inactive, as a request scope is outside a request. What it holds is destroyed
	 * with the context.
	 */
	static final class RefreshLikeScope implements Scope, DisposableBean {

		private final Map<String, Object> beans = new HashMap<>();

		private final Map<String, Runnable> destructionCallbacks = new HashMap<>();

		private volatile boolean active;

		RefreshLikeScope(boolean active) {
			this.active = active;
		}

		void activate() {
			this.active = true;
		}

		synchronized void refresh() {
			this.beans.clear();
			this.destructionCallbacks.values().forEach(Runnable::run);
			this.destructionCallbacks.clear();
		}

		@Override
		public void destroy() {
			refresh();
		}

		@Override
		public synchronized Object get(String name, ObjectFactory<?> objectFactory) {
			if (!this.active) {
				throw new IllegalStateException("Scope 'refresh' is not active");
			}
			Object bean = this.beans.get(name);
			if (bean == null) {
				bean = objectFactory.getObject();
				this.beans.put(name, bean);
			}
			return bean;
		}

		@Override
		public synchronized Object remove(String name) {
			this.destructionCallbacks.remove(name);
			return this.beans.remove(name);
		}

		@Override
		public synchronized void registerDestructionCallback(String name, Runnable callback) {
			this.destructionCallbacks.put(name, callback);
		}

		@Override
		public Object resolveContextualObject(String key) {
			return null;
		}

		@Override
		public String getConversationId() {
			return "refresh";
		}

	}

}
