/**
 * A real PostgreSQL server that tests control: start it, stop it, kill it, freeze it and
 * thaw it, so that a service can be tested against genuine outages rather than mocked
 * ones.
 * <p>
 * Start with {@link dev.dbchaos.testdatabases.ManagedPostgres#create()} or
 * {@link dev.dbchaos.testdatabases.ManagedPostgres#shared()}.
 */
package dev.dbchaos.testdatabases;
