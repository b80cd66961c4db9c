/**
 * Each fault of the starter injected through {@code /actuator/dbchaos} over HTTP, and
 * what the demo service does under it.
 */
package dev.dbchaos.it.faults;
