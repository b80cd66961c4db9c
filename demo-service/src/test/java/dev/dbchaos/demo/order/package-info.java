/**
 * Tests of the order API against a real PostgreSQL.
 */
package dev.dbchaos.demo.order;
