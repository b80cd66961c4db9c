/**
 * The other generation's starter on this generation's Spring Boot.
 */
package dev.dbchaos.generation;
