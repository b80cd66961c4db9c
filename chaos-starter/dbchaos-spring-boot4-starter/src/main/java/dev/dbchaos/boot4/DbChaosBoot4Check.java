package dev.dbchaos.boot4;

import dev.dbchaos.autoconfigure.SpringBootGenerationCheck;

/**
 * Stops an application on another Spring Boot generation than 4 that depends on this
 * starter, naming the starter to use instead.
 *
 * @since 0.1.0
 */
public class DbChaosBoot4Check extends SpringBootGenerationCheck {

	/**
	 * Create the check; Spring Boot does, from {@code META-INF/spring.factories}.
	 */
	public DbChaosBoot4Check() {
		super(4, "dbchaos-spring-boot4-starter");
	}

}
