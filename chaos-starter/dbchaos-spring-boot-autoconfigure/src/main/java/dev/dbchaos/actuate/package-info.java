/**
 * Actuator support: the {@code dbchaos} endpoint that switches faults on and off at
 * runtime, the {@code dbchaos} health contributor and the Micrometer metrics of what was
 * injected.
 */
@NullMarked
package dev.dbchaos.actuate;

import org.jspecify.annotations.NullMarked;
