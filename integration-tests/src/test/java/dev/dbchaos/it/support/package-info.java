/**
 * What the integration tests share: an HTTP client for the shop, the shop's documented
 * time bounds, a real browser for the shopper, a direct line to the database beneath the
 * fault proxy, log capture, and the diagnostics printed when a scenario fails.
 */
package dev.dbchaos.it.support;
