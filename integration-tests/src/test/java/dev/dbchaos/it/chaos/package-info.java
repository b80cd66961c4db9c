/**
 * Nothing lost under chaos: concurrent buyers, retries and mixed transient failures, and
 * the books still balance afterwards.
 */
package dev.dbchaos.it.chaos;
