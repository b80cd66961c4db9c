package dev.dbchaos.fault;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.dbchaos.Registration;

/**
 * The holders of one registry and what each holds for each active held rule: taken when
 * the rule is added, from every holder of its type for its data source (every data source
 * when the rule names none), and released when it ends or its holder is removed, exactly
 * once either way.
 */
final class HeldFaults {

	private static final Logger logger = System.getLogger("dev.dbchaos");

	private final List<Holder> holders = new CopyOnWriteArrayList<>();

	// Guarded by this: what each active held rule holds, holder by holder.
	private final Map<FaultRule, List<Held>> held = new HashMap<>();

	Registration add(FaultType type, String dataSource, FaultHolder holder) {
		Holder added = new Holder(type, dataSource, holder);
		this.holders.add(added);
		return Registration.of(() -> {
			this.holders.remove(added);
			releaseAllOf(added);
		});
	}

	/**
	 * Take what a rule holds from each of its holders; if one refuses, release what the
	 * others took.
	 * @param rule the rule being added
	 * @throws InvalidFaultException if no data source can hold the rule or a holder
	 * refuses it
	 */
	void hold(FaultRule rule) {
		FaultSpec spec = rule.getSpec();
		List<Holder> matching = this.holders.stream()
			.filter((holder) -> holder.type() == spec.getType()
					&& (spec.getDataSource() == null || spec.getDataSource().equals(holder.dataSource())))
			.toList();
		if (matching.isEmpty()) {
			if (spec.getDataSource() != null) {
				throw new InvalidFaultException("dataSource", "no data source named '" + spec.getDataSource()
						+ "' can hold " + spec.getType().id() + " faults");
			}
			throw new InvalidFaultException("type", "no data source can hold " + spec.getType().id() + " faults");
		}
		if (spec.getType() == FaultType.LOCK) {
			matching = oneDatabase(spec, matching);
		}
		List<Held> taken = new ArrayList<>(matching.size());
		try {
			for (Holder holder : matching) {
				taken.add(new Held(holder, holder.holder().hold(rule)));
			}
		}
		catch (RuntimeException | Error ex) {
			taken.forEach(HeldFaults::release);
			throw ex;
		}
		synchronized (this) {
			this.held.put(rule, taken);
		}
	}

	/**
	 * A lock is taken once: taken through each data source that reaches the database, the
	 * second would wait behind dbchaos's own first. With no data source named, the data
	 * sources must be one (registered more than once, as a refreshed bean is).
	 * @param spec the lock fault
	 * @param matching its holders, in the order they were registered
	 * @return the first holder
	 * @throws InvalidFaultException naming {@code dataSource} if several data sources
	 * could hold the lock
	 */
	private static List<Holder> oneDatabase(FaultSpec spec, List<Holder> matching) {
		List<String> names = matching.stream().map(Holder::dataSource).distinct().toList();
		if (names.size() > 1) {
			throw new InvalidFaultException("dataSource", "a lock is taken on one database: name the data source "
					+ "to take it through, one of " + String.join(", ", names));
		}
		return matching.subList(0, 1);
	}

	/**
	 * Release what a rule holds; nothing for a rule that holds nothing.
	 * @param rule the rule that ended, or was never activated
	 */
	void release(FaultRule rule) {
		List<Held> taken;
		synchronized (this) {
			taken = this.held.remove(rule);
		}
		if (taken != null) {
			taken.forEach(HeldFaults::release);
		}
	}

	private void releaseAllOf(Holder holder) {
		List<Held> taken = new ArrayList<>();
		synchronized (this) {
			for (List<Held> ofRule : this.held.values()) {
				ofRule.stream().filter((held) -> held.holder() == holder).forEach(taken::add);
			}
		}
		// Each release runs once, so the rule's own release later skips these.
		taken.forEach(HeldFaults::release);
	}

	private static void release(Held held) {
		try {
			held.release().close();
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			logger.log(Level.WARNING, "dbchaos could not release what " + held.holder().holder()
					+ " held; the other holds are released all the same", ex);
		}
	}

	private record Holder(FaultType type, String dataSource, FaultHolder holder) {

	}

	private record Held(Holder holder, Registration release) {

	}

}
