package dev.dbchaos.boot3;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import dev.dbchaos.actuate.DbChaosHealthDetails;
import dev.dbchaos.fault.FaultRegistry;

/**
 * Reports the active fault rules ({@link DbChaosHealthDetails}) with Spring Boot 3's
 * health API. Always UP: a fault injected on purpose is no reason to take the service out
 * of rotation, but whoever reads the health details should see it.
 *
 * @since 0.1.0
 */
public class DbChaosHealthIndicator extends AbstractHealthIndicator {

	private final FaultRegistry registry;

	/**
	 * Create an indicator.
	 * @param registry the rules in force
	 */
	public DbChaosHealthIndicator(FaultRegistry registry) {
		super("dbchaos health check failed");
		this.registry = registry;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up().withDetails(DbChaosHealthDetails.of(this.registry));
	}

}
