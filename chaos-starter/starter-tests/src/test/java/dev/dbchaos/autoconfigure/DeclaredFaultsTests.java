package dev.dbchaos.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.fault.FaultSpec;
import dev.dbchaos.fault.FaultType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DeclaredFaults}: the faults of {@code dbchaos.faults} added at
 * start-up and brought in line with the Environment when it changes.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeclaredFaultsTests {

	private final Map<String, Object> declared = new HashMap<>();

	private final StandardEnvironment environment = new StandardEnvironment();

	private final FaultRegistry registry = new FaultRegistry(Duration.ofMinutes(5), Duration.ofHours(1));

	private final DeclaredFaults faults = new DeclaredFaults(this.environment);

	DeclaredFaultsTests() {
		this.environment.getPropertySources().addFirst(new MapPropertySource("declared", this.declared));
	}

	@AfterEach
	void closeRegistry() {
		this.registry.close();
	}

	@Test
	void theDeclaredFaultsAreAddedAtStartUp() {
		declare(0, "outage", "INTO customer_order");
		declare(1, "latency", "SELECT");
		this.declared.put("dbchaos.faults[1].delay", "200ms");
		startUp();
		assertThat(this.registry.getRules()).extracting((rule) -> rule.getSpec().getType())
			.containsExactly(FaultType.OUTAGE, FaultType.LATENCY);
		assertThat(this.faults.getRuleIds()).containsExactlyInAnyOrderElementsOf(ids());
	}

	@Test
	void anInvalidDeclarationStopsTheStartNamingItsProperty() {
		declare(0, "outage", "INTO customer_order");
		this.declared.put("dbchaos.faults[0].duration", "2h");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(this::startUp)
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("dbchaos.faults[0].duration");
				assertThat(ex.getValue()).isEqualTo("2h");
				assertThat(ex.getReason()).contains("must not exceed the maximum duration of PT1H");
			});
	}

	@Test
	void aDeclarationThatAppearsIsAdded() {
		startUp();
		declare(0, "outage", "INTO customer_order");
		assertThat(this.faults.refresh(this.registry)).isTrue();
		assertThat(this.registry.getRules()).singleElement()
			.satisfies((rule) -> assertThat(rule.getSpec().getType()).isEqualTo(FaultType.OUTAGE));
		assertThat(this.faults.getRuleIds()).isEqualTo(ids());
	}

	@Test
	void aDeclarationThatDisappearsIsRemoved() {
		declare(0, "outage", "INTO customer_order");
		declare(1, "read-only", "SELECT");
		startUp();
		FaultRule readOnly = this.registry.getRules().get(1);
		this.declared.keySet().removeIf((key) -> key.startsWith("dbchaos.faults[0]"));
		this.declared.keySet().removeIf((key) -> key.startsWith("dbchaos.faults[1]"));
		declare(0, "read-only", "SELECT");
		assertThat(this.faults.refresh(this.registry)).isTrue();
		assertThat(this.registry.getRules()).containsExactly(readOnly);
	}

	@Test
	void anUnchangedDeclarationKeepsItsIdAndExpiryWhereverItMoves() {
		declare(0, "outage", "INTO customer_order");
		startUp();
		FaultRule outage = this.registry.getRules().get(0);
		this.declared.clear();
		declare(0, "read-only", "SELECT");
		declare(1, "outage", "INTO customer_order");
		assertThat(this.faults.refresh(this.registry)).isTrue();
		assertThat(this.registry.get(outage.getId())).containsSame(outage);
		assertThat(this.registry.getRules()).hasSize(2);
	}

	@Test
	void aChangedDeclarationBecomesANewRule() {
		declare(0, "outage", "INTO customer_order");
		startUp();
		FaultRule before = this.registry.getRules().get(0);
		this.declared.put("dbchaos.faults[0].probability", "0.5");
		assertThat(this.faults.refresh(this.registry)).isTrue();
		assertThat(this.registry.getRules()).singleElement().satisfies((rule) -> {
			assertThat(rule.getId()).isNotEqualTo(before.getId());
			assertThat(rule.getSpec().getProbability()).isEqualTo(0.5);
		});
	}

	@Test
	void anInvalidRefreshChangesNothingAndNamesTheProperty(CapturedOutput output) {
		declare(0, "outage", "INTO customer_order");
		startUp();
		List<FaultRule> before = this.registry.getRules();
		declare(1, "read-only", "SELECT");
		this.declared.put("dbchaos.faults[0].probability", "0.5");
		this.declared.put("dbchaos.faults[1].duration", "2h");
		assertThat(this.faults.refresh(this.registry)).isFalse();
		assertThat(this.registry.getRules()).isEqualTo(before);
		assertThat(output).contains("dbchaos.faults were left as they were").contains("dbchaos.faults[1].duration");
	}

	@Test
	void anUnknownKeyInARefreshChangesNothingAndNamesTheKey(CapturedOutput output) {
		declare(0, "outage", "INTO customer_order");
		startUp();
		List<FaultRule> before = this.registry.getRules();
		this.declared.put("dbchaos.faults[0].scop", "checkout");
		assertThat(this.faults.refresh(this.registry)).isFalse();
		assertThat(this.registry.getRules()).isEqualTo(before);
		assertThat(output).contains("dbchaos.faults[0].scop");
	}

	@Test
	void aDeclaredIdTakenByAnOperatorsFaultChangesNothing(CapturedOutput output) {
		startUp();
		FaultRule operators = this.registry.add(FaultSpec.builder(FaultType.HANG).id("drill").build());
		declare(0, "outage", "INTO customer_order");
		this.declared.put("dbchaos.faults[0].id", "drill");
		assertThat(this.faults.refresh(this.registry)).isFalse();
		assertThat(this.registry.getRules()).containsExactly(operators);
		assertThat(output).contains("dbchaos.faults[0].id").contains("'drill' is already in use");
	}

	@Test
	void aDeclaredIdFreedByADeclarationThatDisappearsCanBeTakenAtOnce() {
		declare(0, "outage", "INTO customer_order");
		this.declared.put("dbchaos.faults[0].id", "drill");
		startUp();
		this.declared.put("dbchaos.faults[0].type", "read-only");
		assertThat(this.faults.refresh(this.registry)).isTrue();
		assertThat(this.registry.get("drill"))
			.hasValueSatisfying((rule) -> assertThat(rule.getSpec().getType()).isEqualTo(FaultType.READ_ONLY));
	}

	@Test
	void theOperatorsFaultsAreLeftAlone() {
		declare(0, "outage", "INTO customer_order");
		startUp();
		FaultRule operators = this.registry.add(FaultSpec.builder(FaultType.HANG).build());
		this.declared.clear();
		assertThat(this.faults.refresh(this.registry)).isTrue();
		assertThat(this.registry.getRules()).containsExactly(operators);
		assertThat(this.faults.getRuleIds()).isEmpty();
	}

	@Test
	void aRemovedDeclaredFaultIsNotBroughtBackWhileItsDeclarationIsUnchanged() {
		declare(0, "outage", "INTO customer_order");
		startUp();
		this.registry.remove(this.registry.getRules().get(0).getId());
		assertThat(this.faults.refresh(this.registry)).isTrue();
		assertThat(this.registry.getRules()).isEmpty();
	}

	private void declare(int index, String type, String sql) {
		this.declared.put("dbchaos.faults[" + index + "].type", type);
		this.declared.put("dbchaos.faults[" + index + "].sql", sql);
	}

	private void startUp() {
		List<DbChaosProperties.Fault> bound = Binder.get(this.environment)
			.bind("dbchaos.faults", Bindable.listOf(DbChaosProperties.Fault.class))
			.orElseGet(List::of);
		this.faults.addAtStartUp(this.registry, bound, false);
		this.faults.addAtStartUp(this.registry, bound, true);
	}

	private List<String> ids() {
		return this.registry.getRules().stream().map(FaultRule::getId).toList();
	}

}
