package dev.dbchaos.jdbc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.dbchaos.Registration;
import dev.dbchaos.fault.FaultListener;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;

/**
 * The physical connections of one data source that are open, for a full outage to cut
 * them as a real shutdown does.
 */
final class OpenConnections {

	private final String dataSourceName;

	private final Set<ChaosConnection> open = ConcurrentHashMap.newKeySet();

	private final FaultListener fullOutages = new FaultListener() {
		@Override
		public void added(FaultRule rule) {
			if (isFullOutage(rule.getSpec())) {
				OpenConnections.this.open.forEach(ChaosConnection::serverWentAway);
			}
		}
	};

	/**
	 * Track the open connections of a data source.
	 * @param dataSourceName the name rules filter by
	 */
	OpenConnections(String dataSourceName) {
		this.dataSourceName = dataSourceName;
	}

	/**
	 * Cut the open connections when a full outage starts in the registry, until the
	 * returned registration is closed.
	 * @param registry the registry
	 * @return the registration of the listener with the registry
	 */
	Registration cutOnFullOutage(FaultRegistry registry) {
		return registry.addListener(this.fullOutages);
	}

	void opened(ChaosConnection connection) {
		this.open.add(connection);
	}

	void closed(ChaosConnection connection) {
		this.open.remove(connection);
	}

	/**
	 * Return whether a rule takes the whole server down for this data source, as a real
	 * shutdown does: every call, every caller, every time. Only such an outage cuts the
	 * connections that are open when it starts; a partial one breaks the calls it
	 * matches.
	 * @param spec the spec of a rule just added
	 * @return whether the rule is an outage of every call of this data source
	 */
	private boolean isFullOutage(FaultSpec spec) {
		return spec.getType() == FaultType.OUTAGE && spec.getScope() == null && spec.getOperation() == Operation.ANY
				&& spec.getSql() == null && spec.getProbability() >= 1.0 && spec.getCount() == null
				&& (spec.getDataSource() == null || spec.getDataSource().equals(this.dataSourceName));
	}

}
