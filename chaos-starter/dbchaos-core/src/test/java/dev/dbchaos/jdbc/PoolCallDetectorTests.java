package dev.dbchaos.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PoolCallDetector}.
 */
class PoolCallDetectorTests {

	private final PoolCallDetector detector = PoolCallDetector.byCallerClass(Pool.class.getName());

	@Test
	void callFromThePoolsClassIsThePoolsOwn() {
		assertThat(Pool.call(this.detector)).isTrue();
	}

	@Test
	void callFromAnywhereElseIsTheApplications() {
		assertThat(this.detector.isPoolCall()).isFalse();
	}

	@Test
	void noDetectorTakesEveryCallForTheApplications() {
		assertThat(Pool.call(PoolCallDetector.NONE)).isFalse();
	}

	private static final class Pool {

		static boolean call(PoolCallDetector detector) {
			return detector.isPoolCall();
		}

	}

}
