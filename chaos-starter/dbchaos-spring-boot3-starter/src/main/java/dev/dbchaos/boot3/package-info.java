/**
 * What differs on Spring Boot 3: the health contributor and the HTTP client customizers,
 * whose Spring Boot types moved in Spring Boot 4, and the check that this starter runs on
 * Spring Boot 3. Everything else is shared with the Spring Boot 4 starter
 * ({@code dbchaos-spring-boot-autoconfigure}).
 */
@NullMarked
package dev.dbchaos.boot3;

import org.jspecify.annotations.NullMarked;
