/**
 * The shop's downtime drill (seed 000), with the real database server stopped and started
 * and a shopper in a real headless browser.
 */
package dev.dbchaos.it.drill;
