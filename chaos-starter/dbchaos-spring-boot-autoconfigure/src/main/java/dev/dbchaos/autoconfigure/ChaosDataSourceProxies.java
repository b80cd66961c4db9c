package dev.dbchaos.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import javax.sql.DataSource;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.util.ReflectionUtils;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.jdbc.ChaosDataSource;

/**
 * Wraps a whole data source, for pools dbchaos cannot get beneath. The proxy keeps the
 * bean's class where it can (a class-based proxy), so injection points typed to the pool
 * still work; only the connection methods and {@code unwrap}/{@code isWrapperFor} go
 * through a {@link ChaosDataSource}.
 */
final class ChaosDataSourceProxies {

	private ChaosDataSourceProxies() {
	}

	/**
	 * Create the chaos data source a proxy of the target goes through. It is not
	 * registered yet.
	 * @param target the data source to wrap
	 * @param registry the rules in force
	 * @param name the bean name
	 * @return the chaos data source
	 */
	static ChaosDataSource chaosDataSourceFor(DataSource target, FaultRegistry registry, String name) {
		return new ChaosDataSource(target, registry, name, jdbcUrlOf(target), PhysicalDataSources.propertiesOf(target));
	}

	/**
	 * Wrap a data source as a whole.
	 * @param target the data source to wrap
	 * @param chaos the chaos data source of that target its connections go through
	 * @return the proxy
	 */
	static DataSource wrap(DataSource target, ChaosDataSource chaos) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(canSubclass(target.getClass()));
		factory.addInterface(DataSource.class);
		factory.addAdvice(new ConnectionInterceptor(chaos));
		return (DataSource) factory.getProxy(ChaosDataSourceProxies.class.getClassLoader());
	}

	private static boolean canSubclass(Class<?> type) {
		if (Modifier.isFinal(type.getModifiers())) {
			return false;
		}
		try {
			type.getDeclaredConstructor();
			return true;
		}
		catch (NoSuchMethodException ex) {
			// Objenesis could still do it, but a pool without a default constructor is
			// rare
			// enough that an interface proxy is the safer choice.
			return false;
		}
	}

	/**
	 * Read the JDBC URL from the pools' usual getters, without opening a connection.
	 * @param target the data source being wrapped
	 * @return the URL its first public {@code String} getter answered, or {@code null} if
	 * none did
	 */
	private static @Nullable String jdbcUrlOf(DataSource target) {
		for (String getter : new String[] { "getJdbcUrl", "getUrl", "getURL" }) {
			Method method = ReflectionUtils.findMethod(target.getClass(), getter);
			if (method != null && method.getReturnType() == String.class && Modifier.isPublic(method.getModifiers())) {
				try {
					return (String) method.invoke(target);
				}
				catch (ReflectiveOperationException | RuntimeException ex) {
					// Not this getter, then.
				}
			}
		}
		return null;
	}

	private static final class ConnectionInterceptor implements MethodInterceptor {

		private final ChaosDataSource chaos;

		ConnectionInterceptor(ChaosDataSource chaos) {
			this.chaos = chaos;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			String name = invocation.getMethod().getName();
			Object[] arguments = invocation.getArguments();
			return switch (name) {
				case "getConnection" -> (arguments.length == 0) ? this.chaos.getConnection()
						: this.chaos.getConnection((String) arguments[0], (String) arguments[1]);
				case "unwrap" -> this.chaos.unwrap((Class<?>) arguments[0]);
				case "isWrapperFor" -> this.chaos.isWrapperFor((Class<?>) arguments[0]);
				default -> invocation.proceed();
			};
		}

	}

}
