/**
 * A client for the {@code dbchaos} endpoint, for tests that break the database of a
 * running service: plain JDK {@link java.net.http.HttpClient}, no other dependency.
 */
@NullMarked
package dev.dbchaos.client;

import org.jspecify.annotations.NullMarked;
