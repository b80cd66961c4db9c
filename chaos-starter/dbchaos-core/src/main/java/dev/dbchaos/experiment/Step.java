package dev.dbchaos.experiment;

import java.time.Duration;

import dev.dbchaos.fault.FaultSpec;

/**
 * One step of an experiment: a fault added at an offset from the start.
 *
 * @param at the offset from the start of the experiment
 * @param fault the fault, as it would be added on its own
 * @since 0.1.0
 */
public record Step(Duration at, FaultSpec fault) {

}
