/**
 * Auto-configuration for dbchaos: the fault registry, the data source post-processor that
 * puts the fault-injecting proxy in place, the scope filter, and the actuator endpoint,
 * health and metrics. Everything here is off unless {@code dbchaos.enabled=true}.
 */
@NullMarked
package dev.dbchaos.autoconfigure;

import org.jspecify.annotations.NullMarked;
