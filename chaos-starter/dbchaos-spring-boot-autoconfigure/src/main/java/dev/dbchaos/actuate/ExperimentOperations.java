package dev.dbchaos.actuate;

import java.util.List;
import java.util.Optional;

import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.experiment.ExperimentReport.AbortedBy;
import dev.dbchaos.experiment.Experiments;

/**
 * What the endpoint does at {@code /actuator/dbchaos/experiments}: start, list, report
 * and abort game-day experiments.
 *
 * @since 0.1.0
 */
public final class ExperimentOperations {

	/**
	 * The path segment of the experiments below the endpoint.
	 */
	public static final String COLLECTION = "experiments";

	private final Experiments experiments;

	private final ExperimentRequest.Checks checks;

	/**
	 * Create the operations.
	 * @param experiments the application's experiments
	 * @param checks makes the checks a posted experiment names
	 */
	public ExperimentOperations(Experiments experiments, ExperimentRequest.Checks checks) {
		this.experiments = experiments;
		this.checks = checks;
	}

	/**
	 * Start a posted experiment.
	 * @param body the experiment as sent
	 * @return its report: {@code running}, or {@code refused}
	 * @throws dev.dbchaos.fault.InvalidFaultException naming the offending field
	 */
	public ExperimentReport start(byte[] body) {
		return this.experiments.start(ExperimentRequest.parse(body, this.checks)).report();
	}

	/**
	 * List the kept experiments, newest first.
	 * @return their reports
	 */
	public List<ExperimentReport> list() {
		return this.experiments.list().stream().map((experiment) -> experiment.report()).toList();
	}

	/**
	 * Return an experiment's report.
	 * @param id its id
	 * @return the report, or empty when unknown
	 */
	public Optional<ExperimentReport> report(String id) {
		return this.experiments.get(id).map((experiment) -> experiment.report());
	}

	/**
	 * Abort an experiment, removing its faults.
	 * @param id its id
	 * @param operator who aborts it
	 * @return its report, or empty when unknown
	 */
	public Optional<ExperimentReport> abort(String id, String operator) {
		return this.experiments.get(id).map((experiment) -> {
			experiment.abort(AbortedBy.operator(operator));
			return experiment.report();
		});
	}

}
