package dev.dbchaos.fault;

import dev.dbchaos.Registration;

/**
 * Takes, on one data source, what a held fault ({@link FaultType#isHeld()}) holds for as
 * long as it is active: a lock on a table, connections of the pool. A
 * {@link FaultRegistry} asks its holders when such a rule is added, before the rule is in
 * force, so that a holder can refuse it (a table that does not exist) and nothing
 * changes; it releases what they took when the rule ends, whatever ends it (removal,
 * expiry, the registry's shutdown), and when the holder itself is removed.
 *
 * @since 0.1.0
 * @see FaultRegistry#addHolder(FaultType, String, FaultHolder)
 */
@FunctionalInterface
public interface FaultHolder {

	/**
	 * Take what the rule holds. Called on the thread that adds the rule.
	 * @param rule the rule being added, not yet in force
	 * @return what releases it, closed once; it must not throw, and must release even
	 * when the database is gone
	 * @throws InvalidFaultException naming the offending field, to refuse the rule; the
	 * holder holds nothing then
	 */
	Registration hold(FaultRule rule);

}
