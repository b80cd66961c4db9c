/**
 * The fault engine: rules describing what to break ({@link dev.dbchaos.fault.FaultSpec}),
 * the runtime set of active rules ({@link dev.dbchaos.fault.FaultRegistry}) and the
 * decision of which rule fires for a given JDBC call. The registry keeps its rules
 * indexed by scope, data source, operation and statement text, so that a call looks only
 * at the rules that could match it. Plain Java, no Spring Boot dependency.
 */
@NullMarked
package dev.dbchaos.fault;

import org.jspecify.annotations.NullMarked;
