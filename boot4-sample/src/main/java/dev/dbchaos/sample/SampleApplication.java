package dev.dbchaos.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot 4 application with nothing but {@code dbchaos-spring-boot4-starter},
 * Spring MVC, JDBC and actuator: a list of notes in PostgreSQL, and the database
 * breakable through {@code /actuator/dbchaos}.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
