package dev.dbchaos.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.dbchaos.experiment.Observation;
import dev.dbchaos.fault.InvalidFaultException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MeterCheckTests {

	private final MeterRegistry meters = new SimpleMeterRegistry();

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

	private final Clock clock = new Clock() {

		@Override
		public Instant instant() {
			return MeterCheckTests.this.now.get();
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	};

	private void advance(Duration duration) {
		this.now.set(this.now.get().plus(duration));
	}

	@Test
	void aCounterIsCheckedByItsRatePerSecondOverTheWindow() {
		Counter errors = Counter.builder("http.server.requests").tag("outcome", "SERVER_ERROR").register(this.meters);
		Counter.builder("http.server.requests").tag("outcome", "SUCCESS").register(this.meters).increment(1000);
		MeterCheck check = new MeterCheck(this.meters, "guards[0].meter", "http.server.requests",
				Map.of("outcome", "SERVER_ERROR"), 5, Duration.ofSeconds(10), this.clock);
		assertThat(check.observe()).isEqualTo(new Observation(true, 0.0));
		advance(Duration.ofSeconds(10));
		errors.increment(40);
		assertThat(check.observe()).isEqualTo(new Observation(true, 4.0));
		advance(Duration.ofSeconds(10));
		errors.increment(70);
		assertThat(check.observe()).isEqualTo(new Observation(false, 7.0));
		assertThat(check.description()).isEqualTo("meter http.server.requests{outcome=SERVER_ERROR} <= 5.0");
	}

	@Test
	void aGaugeIsCheckedByItsValue() {
		AtomicReference<Double> pending = new AtomicReference<>(3.0);
		this.meters.gauge("hikaricp.connections.pending", pending, AtomicReference::get);
		MeterCheck check = new MeterCheck(this.meters, "guards[0].meter", "hikaricp.connections.pending", Map.of(), 2,
				MeterCheck.DEFAULT_WINDOW, this.clock);
		assertThat(check.observe()).isEqualTo(new Observation(false, 3.0));
		pending.set(1.0);
		assertThat(check.observe()).isEqualTo(new Observation(true, 1.0));
	}

	@Test
	void anUnknownMeterIsRefusedNamingTheField() {
		assertThatExceptionOfType(InvalidFaultException.class)
			.isThrownBy(() -> new MeterCheck(this.meters, "guards[1].meter", "http.server.requets", Map.of(), 0,
					MeterCheck.DEFAULT_WINDOW, this.clock))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("guards[1].meter"));
	}

}
