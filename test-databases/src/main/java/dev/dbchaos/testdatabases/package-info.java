/**
 * Real database servers that tests control: start them, stop them, kill them, freeze them
 * and thaw them, so that a service can be tested against genuine outages rather than
 * mocked ones.
 * <p>
 * PostgreSQL: {@link dev.dbchaos.testdatabases.ManagedPostgres#create()} or
 * {@link dev.dbchaos.testdatabases.ManagedPostgres#shared()}, and
 * {@link dev.dbchaos.testdatabases.OwnPostgres} for a test class's own. MariaDB (for
 * MariaDB Connector/J and MySQL Connector/J):
 * {@link dev.dbchaos.testdatabases.ManagedMariaDb#create()} or
 * {@link dev.dbchaos.testdatabases.ManagedMariaDb#shared()}, and
 * {@link dev.dbchaos.testdatabases.OwnMariaDb}. What both have in common is
 * {@link dev.dbchaos.testdatabases.ManagedDatabase}. A RabbitMQ broker, for a message bus
 * between instances: {@link dev.dbchaos.testdatabases.ManagedRabbitMq}.
 */
package dev.dbchaos.testdatabases;
