package dev.dbchaos.autoconfigure;

import javax.sql.DataSource;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.jdbc.ChaosDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Puts the fault-injecting proxy into every {@link DataSource} bean not excluded by
 * {@code dbchaos.exclude-beans}: beneath the pool for HikariCP, around the bean otherwise.
 *
 * @author dbchaos
 */
public class DbChaosDataSourcePostProcessor implements BeanPostProcessor, Ordered {

	private static final boolean hikariPresent = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			DbChaosDataSourcePostProcessor.class.getClassLoader());

	private final ObjectProvider<FaultRegistry> registry;

	private final ObjectProvider<DbChaosProperties> properties;

	DbChaosDataSourcePostProcessor(ObjectProvider<FaultRegistry> registry,
			ObjectProvider<DbChaosProperties> properties) {
		this.registry = registry;
		this.properties = properties;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof DataSource dataSource) || isWrapped(dataSource)
				|| this.properties.getObject().getExcludeBeans().contains(beanName)) {
			return bean;
		}
		FaultRegistry faults = this.registry.getObject();
		Object result = bean;
		if (!(hikariPresent && HikariChaosInstaller.installBeneath(dataSource, faults, beanName))) {
			result = ChaosDataSourceProxies.wrap(dataSource, faults, beanName);
		}
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
	public int getOrder() {
		// Early, so that other data source wrappers (tracing, metrics) wrap dbchaos and see its
		// faults as the application does.
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
