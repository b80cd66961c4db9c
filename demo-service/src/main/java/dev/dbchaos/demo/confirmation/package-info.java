/**
 * Order confirmations, written in the background after an order commits, retried through
 * transient failures and swept up later if every retry failed.
 */
package dev.dbchaos.demo.confirmation;
