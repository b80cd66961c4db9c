package dev.dbchaos.benchmarks.recovery;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.dbchaos.testdatabases.ManagedPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one real restart and one injected outage with one client, to keep the recovery
 * measurement working. Holds it to a generous bound only: a loaded build machine says
 * nothing about the targets, which are for the measured run.
 */
class RecoverySmokeTests {

	@Test
	void realAndInjectedOutagesRecover() {
		try (ManagedPostgres postgres = ManagedPostgres.create()) {
			postgres.start();
			try (DemoService demo = DemoService.start(postgres)) {
				// A shorter outage than the measured one: enough that every request fails
				// first.
				Recovery recovery = new Recovery(postgres, demo, Duration.ofSeconds(2));
				List<Trial> trials = recovery.run(1, 1);
				assertThat(trials).extracting(Trial::outage).containsExactly(Outage.REAL, Outage.INJECTED);
				assertThat(trials).allSatisfy((trial) -> {
					assertThat(trial.recovered()).as("%s recovered", trial).isTrue();
					assertThat(trial.first()).isPositive().isLessThan(Duration.ofSeconds(30));
				});
				assertThat(recovery.report(trials, true)).contains("| real restart | 1 |")
					.contains("| injected outage | 1 |")
					.contains("Bound: 10.31 s");
			}
		}
	}

}
