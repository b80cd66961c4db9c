/**
 * The demo's game-day experiments, started by name through
 * {@code /actuator/dbchaos/experiments} while shoppers and buyers use the shop.
 */
package dev.dbchaos.it.experiments;
