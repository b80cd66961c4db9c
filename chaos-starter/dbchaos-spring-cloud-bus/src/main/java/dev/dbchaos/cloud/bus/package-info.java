/**
 * Fleet faults over Spring Cloud Bus: one request to the endpoint adds a fault on every
 * instance of the application, or on a share of them chosen by {@link FleetShare}.
 */
@NullMarked
package dev.dbchaos.cloud.bus;

import org.jspecify.annotations.NullMarked;
