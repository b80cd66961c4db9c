/**
 * The Grafana dashboard of {@code observability/} checked against a real Prometheus
 * scraping the demo through an outage drill, and the figures of the README drawn from
 * that run.
 */
package dev.dbchaos.it.observability;
