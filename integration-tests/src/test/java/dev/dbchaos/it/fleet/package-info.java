/**
 * Fleet faults over a real broker: three instances of the demo with Spring Cloud Bus on
 * RabbitMQ (the demo's {@code fleet} profile), one request reaching every instance or a
 * share of them.
 */
package dev.dbchaos.it.fleet;
