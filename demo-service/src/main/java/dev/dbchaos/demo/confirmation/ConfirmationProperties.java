package dev.dbchaos.demo.confirmation;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How confirmations that the background task could not write are swept up.
 */
@ConfigurationProperties("demo.confirmation")
public class ConfirmationProperties {

	/**
	 * How often to look for committed orders without a confirmation.
	 */
	private Duration sweepInterval = Duration.ofSeconds(5);

	/**
	 * How old an unconfirmed order must be before the sweep writes its confirmation;
	 * longer than the background task's retries take, so the two rarely race (and a race
	 * is harmless).
	 */
	private Duration sweepAfter = Duration.ofSeconds(20);

	public Duration getSweepInterval() {
		return this.sweepInterval;
	}

	public void setSweepInterval(Duration sweepInterval) {
		this.sweepInterval = sweepInterval;
	}

	public Duration getSweepAfter() {
		return this.sweepAfter;
	}

	public void setSweepAfter(Duration sweepAfter) {
		this.sweepAfter = sweepAfter;
	}

}
