package dev.dbchaos.actuate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.dbchaos.experiment.ExperimentDefinition;
import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.experiment.ExperimentReport.AbortedBy;
import dev.dbchaos.experiment.Experiments;
import dev.dbchaos.fault.InvalidFaultException;

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

	/**
	 * The path below the collection that lists the definitions kept as files; no
	 * experiment's id can be this.
	 */
	public static final String DEFINITIONS = "definitions";

	private final Experiments experiments;

	private final ExperimentRequest.Checks checks;

	private final ExperimentDefinitions definitions;

	private final FleetFaults fleet;

	/**
	 * Create the operations.
	 * @param experiments the application's experiments
	 * @param checks makes the checks a posted experiment names
	 * @param definitions the experiments kept as files, started by name
	 */
	public ExperimentOperations(Experiments experiments, ExperimentRequest.Checks checks,
			ExperimentDefinitions definitions) {
		this(experiments, checks, definitions, FleetFaults.NONE);
	}

	/**
	 * Create the operations of an application that may be one instance of a fleet.
	 * @param experiments the application's experiments
	 * @param checks makes the checks a posted experiment names
	 * @param definitions the experiments kept as files, started by name
	 * @param fleet checks the {@code instances} of the steps' faults
	 */
	public ExperimentOperations(Experiments experiments, ExperimentRequest.Checks checks,
			ExperimentDefinitions definitions, FleetFaults fleet) {
		this.experiments = experiments;
		this.checks = checks;
		this.definitions = definitions;
		this.fleet = fleet;
	}

	/**
	 * Start a posted experiment, or with {@code {"definition": name}} one kept as a file.
	 * @param body the experiment as sent
	 * @param startedBy who starts it
	 * @return its report: {@code running}, or {@code refused}
	 * @throws InvalidFaultException naming the offending field
	 */
	public ExperimentReport start(byte[] body, String startedBy) {
		Map<String, @Nullable Object> members = JsonBody.parseObject(body);
		ExperimentDefinition definition = members.containsKey(ExperimentDefinitions.FIELD)
				? this.definitions.definition(definitionName(members), this.checks)
				: ExperimentRequest.parse(members, this.checks);
		for (int i = 0; i < definition.steps().size(); i++) {
			String instances = definition.steps().get(i).instances();
			if (instances != null) {
				try {
					this.fleet.check(instances);
				}
				catch (InvalidFaultException ex) {
					throw new InvalidFaultException("steps[" + i + "].fault." + ex.getField(), ex.getReason());
				}
			}
		}
		return this.experiments.start(definition, startedBy).report();
	}

	private static String definitionName(Map<String, @Nullable Object> members) {
		for (String field : members.keySet()) {
			if (!ExperimentDefinitions.FIELD.equals(field)) {
				throw new InvalidFaultException(FaultRequest.abbreviate(field),
						"must not be given with definition: the definition's file has the whole experiment");
			}
		}
		if (!(members.get(ExperimentDefinitions.FIELD) instanceof String name) || name.isBlank()) {
			throw new InvalidFaultException(ExperimentDefinitions.FIELD,
					"must be the name of an experiment definition file, was "
							+ JsonBody.describe(members.get(ExperimentDefinitions.FIELD)));
		}
		return name;
	}

	/**
	 * Describe the experiments kept as files.
	 * @return where they are and each one's name
	 */
	public ExperimentDefinitions.DefinitionsDescriptor definitions() {
		return this.definitions.describe();
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
