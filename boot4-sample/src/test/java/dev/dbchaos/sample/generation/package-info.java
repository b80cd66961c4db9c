/**
 * The Spring Boot 3 starter by mistake on Spring Boot 4.
 */
package dev.dbchaos.sample.generation;
