package dev.dbchaos.cloud.bus;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.dbchaos.fault.InvalidFaultException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FleetShareTests {

	private static final List<String> INSTANCES = List.of("shop:8081:3f2a9c1e", "shop:8082:77b0d4aa",
			"shop:8083:c01dbeef");

	@Test
	void halfOfAThousandFaultsFallOnAnInstanceWithinThreeSigma() {
		FleetShare half = FleetShare.parse("50%");
		for (String instance : INSTANCES) {
			long hits = IntStream.range(0, 1000).filter((i) -> half.appliesTo(instance, "fault-" + i)).count();
			// Binomial(1000, 0.5): sigma = sqrt(1000 * 0.25) = 15.8, so 3 sigma is 47.4.
			assertThat(hits).isBetween(500L - 47, 500L + 47);
		}
	}

	@Test
	void differentFaultsOfOneShareFallOnDifferentInstances() {
		FleetShare half = FleetShare.parse("50%");
		Set<List<Boolean>> patterns = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			String fault = "fault-" + i;
			patterns.add(INSTANCES.stream().map((instance) -> half.appliesTo(instance, fault)).toList());
		}
		// Three instances, each in or out: all eight combinations occur over 100 faults.
		assertThat(patterns).hasSize(8);
	}

	@Test
	void bucketIsTheDocumentedHashSoEveryInstanceDecidesAlike() {
		// SHA-256("shop:8081:3f2a9c1e\nfailover"), first 8 bytes unsigned, modulo 100,
		// computed apart from Java: printf 'shop:8081:3f2a9c1e\nfailover' | sha256sum
		// gives
		// b81be92866e499a5... and 0xb81be92866e499a5 % 100 is 57.
		assertThat(FleetShare.bucket("shop:8081:3f2a9c1e", "failover")).isEqualTo(57);
		assertThat(FleetShare.parse("58%").appliesTo("shop:8081:3f2a9c1e", "failover")).isTrue();
		assertThat(FleetShare.parse("57%").appliesTo("shop:8081:3f2a9c1e", "failover")).isFalse();
	}

	@Test
	void allAppliesEverywhere() {
		assertThat(INSTANCES).allMatch((instance) -> FleetShare.parse("all").appliesTo(instance, "any"));
		assertThat(FleetShare.parse("100%")).isEqualTo(FleetShare.ALL).hasToString("all");
	}

	@Test
	void anythingButAllOrAPercentageIsRefusedNamingInstances() {
		for (String text : List.of("All", "0%", "101%", "50", "50.5%", "half", "")) {
			assertThatExceptionOfType(InvalidFaultException.class).isThrownBy(() -> FleetShare.parse(text))
				.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("instances"))
				.satisfies((ex) -> assertThat(ex.getReason()).contains("\"all\"").contains("'" + text + "'"));
		}
	}

}
