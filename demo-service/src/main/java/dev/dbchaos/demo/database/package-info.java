/**
 * The one door to the database: retries for transient errors, a circuit breaker for a
 * dead database, and the translation of "the database is not there" into one exception.
 */
package dev.dbchaos.demo.database;
