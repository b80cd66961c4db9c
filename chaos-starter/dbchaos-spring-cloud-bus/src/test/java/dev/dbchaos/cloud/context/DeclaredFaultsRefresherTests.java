package dev.dbchaos.cloud.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeclaredFaultsRefresher}: an application whose declared faults are
 * kept in a file outside it, as a Kubernetes ConfigMap is, refreshed through Spring
 * Cloud's {@link ContextRefresher}, the code behind {@code /actuator/refresh} and
 * {@code /actuator/busrefresh}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeclaredFaultsRefresherTests {

	@TempDir
	Path directory;

	private ConfigurableApplicationContext context;

	@AfterEach
	void closeContext() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void aFaultDeclaredInTheFileIsAddedOnRefresh() throws IOException {
		start("");
		assertThat(registry().getRules()).isEmpty();
		refresh("""
				dbchaos.faults[0].type=outage
				dbchaos.faults[0].sql=INTO customer_order
				""");
		assertThat(registry().getRules()).singleElement()
			.satisfies((rule) -> assertThat(rule.getSpec().getType()).isEqualTo(FaultType.OUTAGE));
	}

	@Test
	void aFaultNoLongerDeclaredIsRemovedAndAnUnchangedOneKeepsItsIdAndExpiry() throws IOException {
		start("""
				dbchaos.faults[0].type=outage
				dbchaos.faults[0].sql=INTO customer_order
				dbchaos.faults[1].type=read-only
				""");
		FaultRule readOnly = rule(FaultType.READ_ONLY);
		refresh("""
				dbchaos.faults[0].type=read-only
				""");
		assertThat(registry().getRules()).singleElement().satisfies((rule) -> {
			assertThat(rule.getId()).isEqualTo(readOnly.getId());
			assertThat(rule.getExpiresAt()).isEqualTo(readOnly.getExpiresAt());
		});
	}

	@Test
	void anInvalidRefreshChangesNothingAndLogsTheProperty(CapturedOutput output) throws IOException {
		start("""
				dbchaos.faults[0].type=outage
				""");
		List<FaultRule> before = registry().getRules();
		refresh("""
				dbchaos.faults[0].type=outage
				dbchaos.faults[1].type=read-only
				dbchaos.faults[1].duration=2h
				""");
		assertThat(registry().getRules()).isEqualTo(before);
		assertThat(output).contains("dbchaos.faults were left as they were")
			.contains("dbchaos.faults[1].duration")
			.contains("must not exceed the maximum duration");
	}

	@Test
	void theRefresherNeedsSpringCloudContext() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DbChaosAutoConfiguration.class, DbChaosRefreshAutoConfiguration.class))
			.withPropertyValues("dbchaos.enabled=true")
			.withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DeclaredFaultsRefresher.class));
	}

	@Test
	void theRefresherIsOffWithDbChaos() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DbChaosAutoConfiguration.class, DbChaosRefreshAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DeclaredFaultsRefresher.class));
	}

	private void start(String declared) throws IOException {
		Files.writeString(file(), declared);
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.run("--dbchaos.enabled=true", "--spring.config.import=optional:file:" + file(),
					"--spring.main.banner-mode=off");
		assertThat(this.context.getBean(DeclaredFaultsRefresher.class)).isNotNull();
	}

	private void refresh(String declared) throws IOException {
		Files.writeString(file(), declared);
		this.context.getBean(ContextRefresher.class).refresh();
	}

	private Path file() {
		return this.directory.resolve("faults.properties");
	}

	private FaultRegistry registry() {
		return this.context.getBean(FaultRegistry.class);
	}

	private FaultRule rule(FaultType type) {
		return registry().getRules()
			.stream()
			.filter((rule) -> rule.getSpec().getType() == type)
			.findFirst()
			.orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ RefreshAutoConfiguration.class, ConfigurationPropertiesRebinderAutoConfiguration.class,
			DbChaosAutoConfiguration.class, DbChaosRefreshAutoConfiguration.class })
	static class Application {

	}

}
