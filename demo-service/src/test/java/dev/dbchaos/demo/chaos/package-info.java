/**
 * The shop under faults injected by the dbchaos starter, through its Java API and its
 * actuator endpoint.
 */
package dev.dbchaos.demo.chaos;
