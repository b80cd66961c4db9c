/**
 * JUnit 5 support: {@link dev.dbchaos.test.DbChaosTest @DbChaosTest} gives each test
 * method a scope of its own against a running service, so chaos tests can run in
 * parallel.
 */
package dev.dbchaos.test;
