package dev.dbchaos.autoconfigure;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

import dev.dbchaos.fault.FaultRegistry;

/**
 * Ends every fault as soon as the application starts to shut down, before graceful
 * shutdown waits for in-flight requests and before the pool closes, so that a request
 * hanging on an injected fault never holds the shutdown up.
 */
class FaultRegistryShutdown implements ApplicationListener<ContextClosedEvent> {

	private final FaultRegistry registry;

	FaultRegistryShutdown(FaultRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		this.registry.close();
	}

}
