/**
 * Tests of the sorting of database failures.
 */
package dev.dbchaos.demo.database;
