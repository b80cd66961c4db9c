package dev.dbchaos.actuate;

import java.security.Principal;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.dbchaos.actuate.DbChaosEndpointWebExtension.ErrorDescriptor;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DbChaosEndpointWebExtension} called directly, outside a servlet
 * request: the fields come as Spring Boot binds them (text), as on a stack where
 * {@link DbChaosEndpointBodyFilter} does not run.
 */
@ExtendWith(OutputCaptureExtension.class)
class DbChaosEndpointWebExtensionTests {

	private static final SecurityContext OPS = new SecurityContext() {

		@Override
		public Principal getPrincipal() {
			return () -> "ops";
		}

		@Override
		public boolean isUserInRole(String role) {
			return false;
		}

	};

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(1), Duration.ofMinutes(10));

	private final DbChaosEndpointWebExtension extension = new DbChaosEndpointWebExtension(
			new DbChaosEndpoint(this.registry), (event) -> {
			});

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void boundFieldsAreAddedAsAFault() {
		WebEndpointResponse<Object> response = add(this.extension, "outage", "query", "30s", OPS);
		assertThat(response.getStatus()).isEqualTo(201);
		assertThat(response.getBody()).isInstanceOfSatisfying(FaultDescriptor.class,
				(fault) -> assertThat(fault.type()).isEqualTo("outage"));
	}

	@Test
	void boundTypeInAnotherCaseIsRefusedWithTheCanonicalOne() {
		WebEndpointResponse<Object> response = add(this.extension, "OUTAGE", null, null, OPS);
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getBody()).isEqualTo(
				new ErrorDescriptor(400, "Bad Request", "type", "'OUTAGE' is not a fault type; did you mean outage?",
						"type: 'OUTAGE' is not a fault type; did you mean outage?"));
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void boundDurationWithoutAUnitIsRefused() {
		WebEndpointResponse<Object> response = add(this.extension, "outage", null, "30", OPS);
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(response.getBody()).isInstanceOfSatisfying(ErrorDescriptor.class, (error) -> {
			assertThat(error.field()).isEqualTo("duration");
			assertThat(error.reason()).startsWith("'30' has no unit");
		});
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void anonymousWritesAreRefusedByDefault() {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).id("kept").build());
		List<WebEndpointResponse<Object>> responses = List.of(
				add(this.extension, "hang", null, null, SecurityContext.NONE),
				this.extension.remove("kept", SecurityContext.NONE),
				this.extension.clear(null, null, SecurityContext.NONE));
		assertThat(responses).allSatisfy((response) -> {
			assertThat(response.getStatus()).isEqualTo(403);
			assertThat(response.getBody()).isInstanceOfSatisfying(ErrorDescriptor.class, (error) -> {
				assertThat(error.error()).isEqualTo("Forbidden");
				assertThat(error.field()).isNull();
				assertThat(error.reason()).contains("dbchaos.endpoint.allow-anonymous-writes=true");
			});
		});
		assertThat(this.registry.getRules()).singleElement()
			.satisfies((rule) -> assertThat(rule.getId()).isEqualTo("kept"));
	}

	@Test
	void anonymousWritesAreAcceptedWhenAllowed() {
		DbChaosEndpointWebExtension allowing = new DbChaosEndpointWebExtension(new DbChaosEndpoint(this.registry),
				(event) -> {
				}, true);
		assertThat(add(allowing, "outage", null, null, SecurityContext.NONE).getStatus()).isEqualTo(201);
		assertThat(allowing.clear(null, null, SecurityContext.NONE).getStatus()).isEqualTo(200);
		assertThat(this.registry.isIdle()).isTrue();
	}

	@Test
	void clearThatRemovesNothingLogsNothing(CapturedOutput output) {
		assertThat(this.extension.clear("t-1", null, OPS).getStatus()).isEqualTo(200);
		assertThat(this.extension.clear(null, null, OPS).getStatus()).isEqualTo(200);
		assertThat(output).doesNotContain("dbchaos cleared");
	}

	@Test
	void clearOfATestsScopeLogsWhatItRemovedAtInfoAndAClearOfEverythingAtWarn(CapturedOutput output) {
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).id("mine").scope("t-1").build());
		this.registry.add(FaultSpec.builder(FaultType.OUTAGE).id("theirs").scope("t-2").build());
		this.extension.clear("t-1", null, OPS);
		this.extension.clear(null, null, OPS);
		assertThat(output.getOut().lines().filter((line) -> line.contains("dbchaos cleared")).toList())
			.satisfiesExactly(
					(line) -> assertThat(line).contains("INFO").contains("dbchaos cleared [mine] of scope t-1 by ops"),
					(line) -> assertThat(line).contains("WARN").contains("dbchaos cleared [theirs] by ops"));
	}

	private static WebEndpointResponse<Object> add(DbChaosEndpointWebExtension extension, String type, String operation,
			String duration, SecurityContext securityContext) {
		return extension.add(type, operation, null, null, null, null, duration, null, null, null, null, null, null,
				null, null, null, null, null, securityContext);
	}

}
