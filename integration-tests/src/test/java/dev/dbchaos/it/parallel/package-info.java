/**
 * Chaos tests running in parallel against one demo service, each in a scope of its own.
 */
package dev.dbchaos.it.parallel;
