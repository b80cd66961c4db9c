/**
 * Tests of the shop against a real PostgreSQL, and what they share.
 */
package dev.dbchaos.demo;
