/**
 * Orders: idempotent by key, taking stock in the same transaction, never below zero.
 */
package dev.dbchaos.demo.order;
