/**
 * Game-day experiments: faults added in steps at offsets from the start, a steady-state
 * hypothesis checked before the first step and again after the last fault ends, and
 * guards that abort the experiment, removing its faults, as soon as one fails. The checks
 * themselves (meters, health) are behind {@link dev.dbchaos.experiment.Check}, so that
 * this package stays plain Java; time comes from a {@link java.time.Clock} and a
 * {@link dev.dbchaos.experiment.Scheduler}, so that tests need not wait.
 */
@NullMarked
package dev.dbchaos.experiment;

import org.jspecify.annotations.NullMarked;
