/**
 * The Spring Boot 4 sample: the smallest application that shows dbchaos on Spring Boot 4.
 */
package dev.dbchaos.sample;
