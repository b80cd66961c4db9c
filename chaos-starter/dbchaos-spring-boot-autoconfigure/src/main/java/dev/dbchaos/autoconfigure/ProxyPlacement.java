package dev.dbchaos.autoconfigure;

/**
 * Where dbchaos put its proxy in one data source bean, as {@code GET /actuator/dbchaos}
 * shows it.
 *
 * @param pool the pool the bean is: {@code hikari}, {@code tomcat-jdbc}, {@code dbcp2},
 * {@code oracle-ucp}, {@code none} for a data source that opens a physical connection on
 * every call, or the bean's class name for any other
 * @param proxy {@value #BENEATH_POOL}, {@value #ABOVE_POOL} or {@value #AROUND_DRIVER}
 * @since 0.1.0
 */
public record ProxyPlacement(String pool, String proxy) {

	/**
	 * Between the pool and the driver: faults break the pool's physical connections, and
	 * the pool's own validation, eviction and reconnection run as in a real outage.
	 */
	public static final String BENEATH_POOL = "beneath-pool";

	/**
	 * Around the whole bean: faults break the connections the application borrows, never
	 * the pool's physical connections, so the pool cannot see them.
	 */
	public static final String ABOVE_POOL = "above-pool";

	/**
	 * Around a data source with no pool, which opens a physical connection on every call:
	 * faults break physical connections, as beneath a pool.
	 */
	public static final String AROUND_DRIVER = "around-driver";

}
