package dev.dbchaos.benchmarks.exactness;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.dbchaos.benchmarks.PooledDataSource;
import dev.dbchaos.benchmarks.Variant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the exactness measurements on a hundredth of their calls, to keep them working.
 * Only the toggle, which must never miss however few trials, is held to its target here;
 * the others need their full call counts for their verdicts to mean anything.
 */
class ExactnessSmokeTests {

	@Test
	void measurementsRunAndToggleNeverMisses() throws Exception {
		try (PooledDataSource dataSource = new PooledDataSource(Variant.DBCHAOS_IDLE,
				"jdbc:h2:mem:exactness-smoke;DB_CLOSE_DELAY=-1", "org.h2.Driver", "sa", "", 2)) {
			String table = new Exactness(dataSource, 0.01).run(List.of("latency", "probability", "toggle"));
			assertThat(table.lines()
				.filter((line) -> line.startsWith("| ") && !line.startsWith("| measurement")
						&& !line.startsWith("| ---")))
				.hasSize(6);
			assertThat(table).contains("| toggle: first call after add affected | 10 | 0 missed |")
				.contains("| toggle: first call after remove unaffected | 10 | 0 missed |");
		}
	}

}
