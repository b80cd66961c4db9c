package dev.dbchaos.cloud.context;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

import dev.dbchaos.autoconfigure.DeclaredFaults;
import dev.dbchaos.fault.FaultRegistry;

/**
 * Brings the {@link DeclaredFaults declared faults} in line with the Environment each
 * time Spring Cloud reports that it changed. Every change is followed, not only one whose
 * keys start with {@code dbchaos.faults}: a key can be written in several forms (an
 * environment variable, a relaxed name), and a change that leaves the declarations as
 * they were changes no fault.
 *
 * @since 0.1.0
 */
public class DeclaredFaultsRefresher implements ApplicationListener<EnvironmentChangeEvent> {

	private final DeclaredFaults declaredFaults;

	private final FaultRegistry registry;

	/**
	 * Create a refresher.
	 * @param declaredFaults the declared faults
	 * @param registry the registry they were added to
	 */
	public DeclaredFaultsRefresher(DeclaredFaults declaredFaults, FaultRegistry registry) {
		this.declaredFaults = declaredFaults;
		this.registry = registry;
	}

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		this.declaredFaults.refresh(this.registry);
	}

}
