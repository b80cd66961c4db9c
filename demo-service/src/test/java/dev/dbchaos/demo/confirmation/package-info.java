/**
 * Tests that no confirmation of a committed order is ever lost.
 */
package dev.dbchaos.demo.confirmation;
