package dev.dbchaos.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.aop.scope.ScopedObject;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.jdbc.ChaosDataSource;

/**
 * Puts the fault-injecting proxy into every {@link DataSource} bean not excluded by
 * {@code dbchaos.exclude-beans}: beneath the pool for HikariCP, around the bean
 * otherwise.
 * <p>
 * A scoped data source ({@code @RefreshScope}, or any {@code @Scope} with a proxy mode)
 * is wrapped once, as a whole, through its scoped proxy under the proxy's bean name: the
 * target beans the scope creates and destroys behind it ({@code scopedTarget.*}) are left
 * alone, so a refresh neither wraps the new target again nor leaves the old one
 * registered.
 * <p>
 * Each {@link ChaosDataSource} is registered with the {@link FaultRegistry} once it is in
 * place, and closed (unregistered) when its bean is destroyed.
 *
 * @since 0.1.0
 */
public class DbChaosDataSourcePostProcessor implements DestructionAwareBeanPostProcessor, DisposableBean, Ordered {

	private static final boolean hikariPresent = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			DbChaosDataSourcePostProcessor.class.getClassLoader());

	private final ObjectProvider<FaultRegistry> registry;

	private final ObjectProvider<DbChaosProperties> properties;

	// The chaos data source put into each bean, by bean name, to close when the bean is
	// destroyed.
	private final Map<String, ChaosDataSource> installed = new ConcurrentHashMap<>();

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
		Object result = bean;
		ChaosDataSource chaos = (hikariPresent && !scopedProxy)
				? HikariChaosInstaller.installBeneath(dataSource, faults, beanName) : null;
		if (chaos == null) {
			chaos = ChaosDataSourceProxies.chaosDataSourceFor(dataSource, faults, beanName);
			result = ChaosDataSourceProxies.wrap(dataSource, chaos);
		}
		// Registered only once it is in place, so that no data source is listed that is
		// not.
		this.installed.put(beanName, chaos.register());
		return result;
	}

	private static boolean isWrapped(DataSource dataSource) {
		if (hikariPresent && HikariChaosInstaller.isInstalled(dataSource)) {
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
		ChaosDataSource chaos = this.installed.remove(beanName);
		if (chaos != null) {
			chaos.close();
		}
	}

	/**
	 * Close what is left when the context closes, such as the chaos data source of a
	 * scoped proxy, whose bean is never destroyed on its own.
	 */
	@Override
	public void destroy() {
		this.installed.values().forEach(ChaosDataSource::close);
		this.installed.clear();
	}

	@Override
	public int getOrder() {
		// Early, so that other data source wrappers (tracing, metrics) wrap dbchaos and
		// see its
		// faults as the application does.
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
