package dev.dbchaos.cloud.bus;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.bus.BusAutoConfiguration;
import org.springframework.cloud.bus.BusBridge;
import org.springframework.cloud.bus.BusStreamAutoConfiguration;
import org.springframework.cloud.bus.ConditionalOnBusEnabled;
import org.springframework.cloud.bus.ServiceMatcher;
import org.springframework.cloud.bus.event.Destination;
import org.springframework.cloud.bus.jackson.RemoteApplicationEventScan;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

import dev.dbchaos.actuate.FleetFaults;
import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.autoconfigure.DbChaosEndpointAutoConfiguration;
import dev.dbchaos.fault.FaultRegistry;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of fleet faults over Spring Cloud Bus: with dbchaos on
 * ({@code dbchaos.enabled=true}) and the bus enabled, the endpoint takes
 * {@code "instances"}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
		after = { DbChaosAutoConfiguration.class, BusAutoConfiguration.class, BusStreamAutoConfiguration.class },
		before = DbChaosEndpointAutoConfiguration.class)
@ConditionalOnClass(BusBridge.class)
@ConditionalOnBusEnabled
@ConditionalOnBean({ FaultRegistry.class, BusBridge.class, ServiceMatcher.class })
@RemoteApplicationEventScan(basePackageClasses = FleetFaultAddedEvent.class)
public class DbChaosBusAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(FleetFaults.class)
	public BusFleetFaults dbChaosFleetFaults(FaultRegistry registry, BusBridge bus, ServiceMatcher serviceMatcher,
			Destination.Factory destinations, ApplicationEventPublisher events) {
		return new BusFleetFaults(registry, bus, serviceMatcher.getBusId(), destinations, events, Clock.systemUTC());
	}

}
