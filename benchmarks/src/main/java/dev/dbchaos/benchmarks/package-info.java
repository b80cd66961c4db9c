/**
 * JMH benchmarks of what dbchaos costs beneath HikariCP, measured side by side with a
 * bare pool and with the JDBC proxies users would otherwise reach for.
 */
package dev.dbchaos.benchmarks;
