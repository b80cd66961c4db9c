package dev.dbchaos.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

import dev.dbchaos.Registration;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.jdbc.ChaosDataSource;
import dev.dbchaos.jdbc.PoolExhaustion;

/**
 * Puts the fault-injecting proxy into every {@link DataSource} bean not excluded by
 * {@code dbchaos.exclude-beans}: beneath the pool for HikariCP, Tomcat JDBC and Commons
 * DBCP2, around the bean otherwise (which, for a data source with no pool, is around the
 * driver). {@link #placementOf(String)} tells which, for each bean.
 * <p>
 * A scoped data source ({@code @RefreshScope}, or any {@code @Scope} with a proxy mode)
 * is wrapped once, as a whole, through its scoped proxy under the proxy's bean name: the
 * target beans the scope creates and destroys behind it ({@code scopedTarget.*}) are left
 * alone, so a refresh neither wraps the new target again nor leaves the old one
 * registered.
 * <p>
 * Each {@link ChaosDataSource} is registered with the {@link FaultRegistry} once it is in
 * place, and closed (unregistered) when its bean is destroyed. A pool whose size dbchaos
 * can read (HikariCP, Tomcat JDBC, DBCP2) also gets a {@link PoolExhaustion} holder,
 * which borrows from the bean as the application does.
 *
 * @since 0.1.0
 */
public class DbChaosDataSourcePostProcessor implements DestructionAwareBeanPostProcessor, DisposableBean, Ordered {

	private static final boolean hikariPresent = isPresent("com.zaxxer.hikari.HikariDataSource");

	private static final boolean tomcatJdbcPresent = isPresent("org.apache.tomcat.jdbc.pool.DataSourceProxy");

	private static final boolean dbcp2Present = isPresent("org.apache.commons.dbcp2.BasicDataSource");

	private final ObjectProvider<FaultRegistry> registry;

	private final ObjectProvider<DbChaosProperties> properties;

	// The chaos data source put into each bean and where, by bean name; the chaos data
	// source is closed when the bean is destroyed.
	private final Map<String, Installed> installed = new ConcurrentHashMap<>();

	DbChaosDataSourcePostProcessor(ObjectProvider<FaultRegistry> registry,
			ObjectProvider<DbChaosProperties> properties) {
		this.registry = registry;
		this.properties = properties;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof DataSource dataSource) || ScopedProxyUtils.isScopedTarget(beanName)
				|| this.properties.getObject().getExcludeBeans().contains(beanName)) {
			return bean;
		}
		// A scoped proxy is never probed: that would reach (or fail to reach) the scope's
		// current target, which is not the data source the application keeps using.
		boolean scopedProxy = bean instanceof ScopedObject;
		if (!scopedProxy && isWrapped(dataSource)) {
			return bean;
		}
		FaultRegistry faults = this.registry.getObject();
		@SuppressWarnings("unchecked")
		Class<? extends DataSource> type = (Class<? extends DataSource>) ClassUtils
			.getUserClass(AopUtils.getTargetClass(bean));
		Object result = bean;
		ChaosDataSource chaos = scopedProxy ? null : installBeneath(dataSource, faults, beanName);
		String proxy = ProxyPlacement.BENEATH_POOL;
		if (chaos == null) {
			chaos = ChaosDataSourceProxies.chaosDataSourceFor(dataSource, faults, beanName);
			result = ChaosDataSourceProxies.wrap(dataSource, chaos);
			proxy = DataSourcePools.isUnpooled(type) ? ProxyPlacement.AROUND_DRIVER : ProxyPlacement.ABOVE_POOL;
		}
		// Registered only once it is in place, so that no data source is listed that is
		// not.
		this.installed.put(beanName,
				new Installed(chaos.register(), holdPoolExhaustion(faults, beanName, dataSource, (DataSource) result),
						new ProxyPlacement(DataSourcePools.poolOf(type), proxy)));
		return result;
	}

	/**
	 * Let pool-exhaustion faults borrow from a pool whose size dbchaos can read.
	 * @param faults the rules in force
	 * @param beanName the bean name
	 * @param pool the pool bean as it was created, whose size is read
	 * @param borrowed the pool bean as the application gets it, which faults borrow from
	 * @return the registration of the holder, or one that does nothing for a data source
	 * that is no pool dbchaos knows
	 */
	private static Registration holdPoolExhaustion(FaultRegistry faults, String beanName, DataSource pool,
			DataSource borrowed) {
		IntSupplier maximumPoolSize = null;
		if (hikariPresent) {
			maximumPoolSize = HikariChaosInstaller.maximumPoolSizeOf(pool);
		}
		if (maximumPoolSize == null && tomcatJdbcPresent) {
			maximumPoolSize = TomcatJdbcChaosInstaller.maximumPoolSizeOf(pool);
		}
		if (maximumPoolSize == null && dbcp2Present) {
			maximumPoolSize = Dbcp2ChaosInstaller.maximumPoolSizeOf(pool);
		}
		if (maximumPoolSize == null || pool instanceof ScopedObject) {
			return Registration.of(() -> {
			});
		}
		return faults.addHolder(FaultType.POOL_EXHAUSTION, beanName, new PoolExhaustion(borrowed, maximumPoolSize));
	}

	/**
	 * Put a chaos data source beneath the pool, for the pools that have a hook for it.
	 * @param dataSource the data source bean
	 * @param faults the rules in force
	 * @param beanName the bean name
	 * @return the chaos data source, not registered yet, or {@code null} if the bean is
	 * not such a pool or its pool does not take one now
	 */
	private static @Nullable ChaosDataSource installBeneath(DataSource dataSource, FaultRegistry faults,
			String beanName) {
		ChaosDataSource chaos = null;
		if (hikariPresent) {
			chaos = HikariChaosInstaller.installBeneath(dataSource, faults, beanName);
		}
		if (chaos == null && tomcatJdbcPresent) {
			chaos = TomcatJdbcChaosInstaller.installBeneath(dataSource, faults, beanName);
		}
		if (chaos == null && dbcp2Present) {
			chaos = Dbcp2ChaosInstaller.installBeneath(dataSource, faults, beanName);
		}
		return chaos;
	}

	/**
	 * Return where dbchaos put its proxy in a data source bean.
	 * @param beanName the bean name, which is also the data source's name in the fault
	 * registry
	 * @return the placement, or {@code null} if dbchaos did not put a proxy into such a
	 * bean (or it has been destroyed since)
	 */
	public @Nullable ProxyPlacement placementOf(String beanName) {
		Installed installed = this.installed.get(beanName);
		return (installed != null) ? installed.placement() : null;
	}

	private static boolean isWrapped(DataSource dataSource) {
		if (hikariPresent && HikariChaosInstaller.isInstalled(dataSource)) {
			return true;
		}
		if (tomcatJdbcPresent && TomcatJdbcChaosInstaller.isInstalled(dataSource)) {
			return true;
		}
		if (dbcp2Present && Dbcp2ChaosInstaller.isInstalled(dataSource)) {
			return true;
		}
		try {
			return dataSource.isWrapperFor(ChaosDataSource.class);
		}
		catch (Exception ex) {
			return false;
		}
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return bean instanceof DataSource;
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) {
		Installed installed = this.installed.remove(beanName);
		if (installed != null) {
			installed.close();
		}
	}

	/**
	 * Close what is left when the context closes, such as the chaos data source of a
	 * scoped proxy, whose bean is never destroyed on its own.
	 */
	@Override
	public void destroy() {
		this.installed.values().forEach(Installed::close);
		this.installed.clear();
	}

	@Override
	public int getOrder() {
		// Early, so that other data source wrappers (tracing, metrics) wrap dbchaos and
		// see its
		// faults as the application does.
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	private static boolean isPresent(String className) {
		return ClassUtils.isPresent(className, DbChaosDataSourcePostProcessor.class.getClassLoader());
	}

	/**
	 * The chaos data source put into a bean, and where.
	 *
	 * @param chaos the chaos data source, registered
	 * @param poolExhaustion the registration of the bean's pool-exhaustion holder
	 * @param placement where it sits
	 */
	private record Installed(ChaosDataSource chaos, Registration poolExhaustion, ProxyPlacement placement) {

		void close() {
			this.poolExhaustion.close();
			this.chaos.close();
		}

	}

}
