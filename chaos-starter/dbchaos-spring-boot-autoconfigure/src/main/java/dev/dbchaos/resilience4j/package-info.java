/**
 * Scope-partitioned Resilience4j state: with
 * {@code dbchaos.scope.isolate-resilience4j=true}, circuit breakers, retries and
 * bulkheads obtained under a scope are that scope's own.
 */
@NullMarked
package dev.dbchaos.resilience4j;

import org.jspecify.annotations.NullMarked;
