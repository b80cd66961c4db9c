/**
 * Declared faults ({@code dbchaos.faults}) that follow the Environment when Spring Cloud
 * changes it at run time: {@code /actuator/refresh}, {@code /actuator/busrefresh}, Spring
 * Cloud Config, Spring Cloud Kubernetes' configuration watcher.
 */
@NullMarked
package dev.dbchaos.cloud.context;

import org.jspecify.annotations.NullMarked;
