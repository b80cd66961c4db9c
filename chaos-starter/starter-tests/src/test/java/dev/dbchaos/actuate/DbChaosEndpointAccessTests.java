package dev.dbchaos.actuate;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.dbchaos.actuate.DbChaosEndpoint.DbChaosDescriptor;
import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.autoconfigure.DbChaosEndpointAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the {@code dbchaos} endpoint tells whether faults can be changed through it:
 * in what it lists, and once in the start-up log.
 */
@ExtendWith(OutputCaptureExtension.class)
class DbChaosEndpointAccessTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DbChaosAutoConfiguration.class, DbChaosEndpointAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
		.withPropertyValues("dbchaos.enabled=true", "management.endpoints.web.exposure.include=dbchaos");

	// A context runner reads enum properties by their constant names, as Spring Boot's
	// lenient conversion is applied by SpringApplication only.
	private static final String UNRESTRICTED = "management.endpoint.dbchaos.access=UNRESTRICTED";

	@Test
	void readOnlyEndpointShowsItIsNotWritableAndTheSettingThatAllowsWrites(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			DbChaosDescriptor listed = context.getBean(DbChaosEndpoint.class).faults();
			assertThat(listed.writable()).isFalse();
			assertThat(listed.allowWritesWith()).isEqualTo("management.endpoint.dbchaos.access=unrestricted");
		});
		assertThat(accessLines(output)).singleElement()
			.satisfies((line) -> assertThat(line).contains("INFO")
				.contains("dbchaos endpoint is read-only: faults can be listed but not added or removed; set "
						+ "management.endpoint.dbchaos.access=unrestricted to allow it"));
	}

	@Test
	void unrestrictedEndpointShowsItIsWritable(CapturedOutput output) {
		this.contextRunner.withPropertyValues(UNRESTRICTED).run((context) -> {
			DbChaosDescriptor listed = context.getBean(DbChaosEndpoint.class).faults();
			assertThat(listed.writable()).isTrue();
			assertThat(listed.allowWritesWith()).isNull();
		});
		assertThat(accessLines(output)).singleElement()
			.satisfies((line) -> assertThat(line).contains("INFO")
				.contains("dbchaos endpoint is writable (management.endpoint.dbchaos.access=unrestricted) by "
						+ "authenticated callers; anonymous writes are refused unless "
						+ "dbchaos.endpoint.allow-anonymous-writes=true"));
	}

	@Test
	void startUpLogSaysWhenAnyoneMayWrite(CapturedOutput output) {
		this.contextRunner.withPropertyValues(UNRESTRICTED, "dbchaos.endpoint.allow-anonymous-writes=true")
			.run((context) -> assertThat(context).hasSingleBean(DbChaosEndpoint.class));
		assertThat(accessLines(output)).singleElement().satisfies((line) -> assertThat(line).contains("by anyone"));
	}

	@Test
	void accessCappedByMaxPermittedIsNotWritable() {
		this.contextRunner.withPropertyValues(UNRESTRICTED, "management.endpoints.access.max-permitted=READ_ONLY")
			.run((context) -> assertThat(context.getBean(DbChaosEndpoint.class).faults().writable()).isFalse());
	}

	private static List<String> accessLines(CapturedOutput output) {
		return output.getOut().lines().filter((line) -> line.contains("dbchaos endpoint is")).toList();
	}

}
