package dev.dbchaos.autoconfigure;

import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;

import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;
import dev.dbchaos.fault.Operation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DbChaosProperties.Fault}, the bean {@code dbchaos.faults[n]} is bound
 * to, and its conversion to a {@link FaultSpec}.
 */
class ConfiguredFaultTests {

	@Test
	void everyFieldOfAFaultIsABeanPropertyOfTheTypeTheBuilderTakes() {
		Map<String, Class<?>> properties = Arrays
			.stream(BeanUtils.getPropertyDescriptors(DbChaosProperties.Fault.class))
			.filter((property) -> property.getWriteMethod() != null)
			.collect(Collectors.toMap(PropertyDescriptor::getName, PropertyDescriptor::getPropertyType));
		Map<String, Class<?>> fields = FaultField.all()
			.stream()
			.collect(Collectors.toMap(FaultField::name, FaultField::type));
		assertThat(properties).isEqualTo(fields);
	}

	@Test
	void aConfiguredFaultWithEveryFieldOfALatencyFaultBecomesTheRuleItDeclares() {
		Map<FaultField<?>, Object> values = new LinkedHashMap<>();
		values.put(FaultField.TYPE, FaultType.LATENCY);
		values.put(FaultField.OPERATION, Operation.QUERY);
		values.put(FaultField.SQL, "(?i)select");
		values.put(FaultField.DATA_SOURCE, "orders");
		values.put(FaultField.PROBABILITY, 0.25);
		values.put(FaultField.COUNT, 3);
		values.put(FaultField.DURATION, Duration.ofMinutes(2));
		values.put(FaultField.SCOPE, "t-1");
		values.put(FaultField.ID, "slow");
		values.put(FaultField.DELAY, Duration.ofMillis(250));
		values.put(FaultField.JITTER, Duration.ofMillis(50));
		FaultSpec spec = DeclaredFaults.toSpec(fault(values));
		values.forEach((field, value) -> assertThat(spec.get(field)).as(field.name()).isEqualTo(value));
	}

	@Test
	void aConfiguredErrorFaultKeepsItsSqlStateAndMessage() {
		Map<FaultField<?>, Object> values = new LinkedHashMap<>();
		values.put(FaultField.TYPE, FaultType.ERROR);
		values.put(FaultField.SQL_STATE, "40P01");
		values.put(FaultField.MESSAGE, "deadlock detected");
		FaultSpec spec = DeclaredFaults.toSpec(fault(values));
		assertThat(spec.getSqlState()).isEqualTo("40P01");
		assertThat(spec.getMessage()).isEqualTo("deadlock detected");
		assertThat(spec.getOperation()).isEqualTo(Operation.ANY);
		assertThat(spec.getProbability()).isEqualTo(1.0);
	}

	private static DbChaosProperties.Fault fault(Map<FaultField<?>, Object> values) {
		DbChaosProperties.Fault fault = new DbChaosProperties.Fault();
		BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(fault);
		values.forEach((field, value) -> properties.setPropertyValue(field.name(), value));
		return fault;
	}

}
