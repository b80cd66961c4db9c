/**
 * The fault-injecting JDBC proxy: {@link dev.dbchaos.jdbc.ChaosDataSource} and the connections
 * and statements it hands out, and the exceptions they throw, shaped like the driver's own.
 * Plain JDBC, no Spring Boot dependency.
 */
package dev.dbchaos.jdbc;
