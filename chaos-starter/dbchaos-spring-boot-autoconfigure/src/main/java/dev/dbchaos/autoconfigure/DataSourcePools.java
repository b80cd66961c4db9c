package dev.dbchaos.autoconfigure;

import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * Names the pool a data source bean is, by its class or one of its supertypes, without
 * loading any pool's classes.
 */
final class DataSourcePools {

	/**
	 * Data sources with no pool, which open a physical connection on every call. Their
	 * exact classes: Spring's {@code SingleConnectionDataSource} extends
	 * {@code DriverManagerDataSource} and keeps one connection, which makes it a pool of
	 * one.
	 */
	private static final Set<String> UNPOOLED = Set.of("org.springframework.jdbc.datasource.DriverManagerDataSource",
			"org.springframework.jdbc.datasource.SimpleDriverDataSource");

	/** The pool of a data source with no pool. */
	private static final String NONE = "none";

	/** Pools, by a class or interface every data source of the pool is. */
	private static final Map<String, String> POOLS = Map.of("com.zaxxer.hikari.HikariDataSource", "hikari",
			"org.apache.tomcat.jdbc.pool.DataSourceProxy", "tomcat-jdbc", "org.apache.commons.dbcp2.BasicDataSource",
			"dbcp2", "oracle.ucp.jdbc.PoolDataSource", "oracle-ucp");

	private DataSourcePools() {
	}

	/**
	 * Name the pool a data source is.
	 * @param type the data source's class, not a proxy's
	 * @return {@code hikari}, {@code tomcat-jdbc}, {@code dbcp2}, {@code oracle-ucp},
	 * {@code none} for no pool, or the class name
	 */
	static String poolOf(Class<? extends DataSource> type) {
		if (isUnpooled(type)) {
			return NONE;
		}
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			String pool = poolOfType(candidate);
			if (pool != null) {
				return pool;
			}
		}
		return type.getName();
	}

	/**
	 * Return whether a data source has no pool.
	 * @param type the data source's class, not a proxy's
	 * @return whether each of its connections is a new physical one
	 */
	static boolean isUnpooled(Class<? extends DataSource> type) {
		return UNPOOLED.contains(type.getName());
	}

	private static @Nullable String poolOfType(Class<?> type) {
		String pool = POOLS.get(type.getName());
		if (pool != null) {
			return pool;
		}
		for (Class<?> implemented : type.getInterfaces()) {
			pool = poolOfType(implemented);
			if (pool != null) {
				return pool;
			}
		}
		return null;
	}

}
