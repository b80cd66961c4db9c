/**
 * What differs on Spring Boot 4: the health contributor and the HTTP client customizers,
 * whose types Spring Boot 4 moved ({@code org.springframework.boot.health.contributor},
 * {@code org.springframework.boot.restclient},
 * {@code org.springframework.boot.webclient}), and the check that this starter runs on
 * Spring Boot 4. Everything else is shared with the Spring Boot 3 starter
 * ({@code dbchaos-spring-boot-autoconfigure}).
 */
@NullMarked
package dev.dbchaos.boot4;

import org.jspecify.annotations.NullMarked;
