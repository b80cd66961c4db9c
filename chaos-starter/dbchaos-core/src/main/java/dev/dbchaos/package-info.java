/**
 * dbchaos: break the database on purpose and prove the service survives.
 * <p>
 * {@link dev.dbchaos.DbChaosScope} binds the current thread to a scope tag so that scoped
 * fault rules fire only for the work of one test or one request. The fault engine lives
 * in {@code dev.dbchaos.fault}, the JDBC proxy in {@code dev.dbchaos.jdbc}; neither
 * depends on Spring Boot.
 */
@NullMarked
package dev.dbchaos;

import org.jspecify.annotations.NullMarked;
