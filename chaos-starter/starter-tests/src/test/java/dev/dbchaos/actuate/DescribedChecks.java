package dev.dbchaos.actuate;

import java.time.Duration;
import java.util.Map;

import dev.dbchaos.experiment.Check;
import dev.dbchaos.experiment.Observation;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * Checks for tests that read experiments: each one always holds and is described by what
 * it was asked for ({@code health readiness is UP}, {@code meter
 * http.server.requests{status=500} <= 0.0 over PT10S}), and a health or a meter named
 * {@code nonesuch} is refused, as an unknown one is by the real checks.
 */
final class DescribedChecks implements ExperimentRequest.Checks {

	static final String UNKNOWN = "nonesuch";

	@Override
	public Check health(String field, String health, String status) {
		if (health.equals(UNKNOWN)) {
			throw new InvalidFaultException(field, "no health is named '" + UNKNOWN + "'");
		}
		return new AlwaysHolds("health " + health + " is " + status);
	}

	@Override
	public Check meter(String field, String meter, Map<String, String> tags, double max, Duration window) {
		if (meter.equals(UNKNOWN)) {
			throw new InvalidFaultException(field, "no meter is named '" + UNKNOWN + "'");
		}
		return new AlwaysHolds("meter " + meter + tags + " <= " + max + " over " + window);
	}

	private record AlwaysHolds(String description) implements Check {

		@Override
		public String observed() {
			return this.description;
		}

		@Override
		public Observation observe() {
			return new Observation(true, 0);
		}

	}

}
