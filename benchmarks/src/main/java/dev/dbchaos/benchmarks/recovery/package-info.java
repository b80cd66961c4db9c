/**
 * Measures how long the demo service takes to write again after its database comes back,
 * from a real restart and from an injected outage, against the bound its HikariCP pool
 * and circuit breaker put on that time.
 */
package dev.dbchaos.benchmarks.recovery;
