/**
 * JUnit 5 support: {@link dev.dbchaos.test.DbChaosTest @DbChaosTest} gives each test
 * method a scope of its own against a running service, so chaos tests can run in
 * parallel.
 */
@NullMarked
package dev.dbchaos.test;

import org.jspecify.annotations.NullMarked;
