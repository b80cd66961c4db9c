package dev.dbchaos.experiment;

/**
 * What a {@link Check} saw.
 *
 * @param holds whether the check held
 * @param value the value observed: a number for a meter, a status for health
 * @since 0.1.0
 */
public record Observation(boolean holds, Object value) {

}
