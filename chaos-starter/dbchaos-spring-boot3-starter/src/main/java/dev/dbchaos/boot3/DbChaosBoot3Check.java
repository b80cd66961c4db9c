package dev.dbchaos.boot3;

import dev.dbchaos.autoconfigure.SpringBootGenerationCheck;

/**
 * Stops an application on another Spring Boot generation than 3 that depends on this
 * starter, naming the starter to use instead.
 *
 * @since 0.1.0
 */
public class DbChaosBoot3Check extends SpringBootGenerationCheck {

	/**
	 * Create the check; Spring Boot does, from {@code META-INF/spring.factories}.
	 */
	public DbChaosBoot3Check() {
		super(3, "dbchaos-spring-boot3-starter");
	}

}
