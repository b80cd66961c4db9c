package dev.dbchaos.actuate;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.dbchaos.fault.FaultField;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the write operations of {@link DbChaosEndpoint} and
 * {@link DbChaosEndpointWebExtension} take every field of a fault: Spring Boot binds an
 * operation's arguments by parameter name, so each field must be one, in the order of
 * {@link FaultField#all()} that {@link FaultRequest#of(String...)} reads them in.
 */
class DbChaosEndpointWriteOperationTests {

	@Test
	void theEndpointsWriteOperationTakesEveryFieldInOrder() {
		assertThat(fieldParameters(DbChaosEndpoint.class)).containsExactlyElementsOf(FaultField.names());
	}

	@Test
	void theWebExtensionsWriteOperationTakesEveryFieldInOrder() {
		assertThat(fieldParameters(DbChaosEndpointWebExtension.class)).containsExactlyElementsOf(FaultField.names());
	}

	private static List<String> fieldParameters(Class<?> type) {
		Method add = Arrays.stream(type.getMethods())
			.filter((method) -> method.isAnnotationPresent(WriteOperation.class))
			// The one at the endpoint's own path: experiments are posted below it.
			.filter((method) -> Arrays.stream(method.getParameters())
				.noneMatch((parameter) -> parameter.isAnnotationPresent(Selector.class)))
			.reduce((first, second) -> {
				throw new IllegalStateException("More than one write operation at the endpoint's path on " + type);
			})
			.orElseThrow();
		return Arrays.stream(add.getParameters())
			.filter((parameter) -> parameter.getType() != SecurityContext.class)
			.map(Parameter::getName)
			.toList();
	}

}
