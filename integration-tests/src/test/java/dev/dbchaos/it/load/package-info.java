/**
 * The demo under load while its faults change as fast as they can.
 */
package dev.dbchaos.it.load;
