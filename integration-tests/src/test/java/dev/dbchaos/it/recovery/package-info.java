/**
 * Recovery without restart (seed 001): the database stopped, frozen, or its connections
 * killed; the service fails fast meanwhile and serves writes again afterwards, in the
 * same JVM.
 */
package dev.dbchaos.it.recovery;
