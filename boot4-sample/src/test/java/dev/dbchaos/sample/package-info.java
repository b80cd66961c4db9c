/**
 * The Spring Boot 4 sample against a real PostgreSQL: the endpoint, metrics and health,
 * injected failures compared with real ones, and HikariCP 7 under a hang.
 */
package dev.dbchaos.sample;
