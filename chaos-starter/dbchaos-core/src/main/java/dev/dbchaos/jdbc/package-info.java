/**
 * The fault-injecting JDBC proxy: {@link dev.dbchaos.jdbc.ChaosDataSource} and the
 * connections, statements, result sets and metadata it hands out, and the exceptions they
 * throw, shaped like the driver's own. Plain JDBC, no Spring Boot dependency.
 * <p>
 * The wrappers' sources hold only the methods that do something. Their plain delegation
 * is generated at build time from the {@code java.sql} interfaces into abstract
 * {@code Delegating*} base classes (see
 * {@code src/generator/JdbcDelegationGenerator.java}), which pass every other call on to
 * the driver and hand each JDBC object that leads back to the connection to a hook of the
 * wrapper, so that none of the driver's escapes.
 */
@NullMarked
package dev.dbchaos.jdbc;

import org.jspecify.annotations.NullMarked;
