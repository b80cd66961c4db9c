/**
 * The shop's {@code fleet} profile: Spring Cloud Bus over RabbitMQ, off without it.
 */
package dev.dbchaos.demo.fleet;
