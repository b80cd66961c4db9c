package dev.dbchaos.benchmarks.recovery;

import java.time.Duration;

/**
 * One outage and what the clients saw after it ended. All times are taken from the moment
 * the outage was started ({@code stop()} called, or the rule about to be added).
 *
 * @param outage how the database was taken away
 * @param clients how many clients wrote concurrently
 * @param stopping until the clients were started: until {@code stop()} returned, for a
 * real restart; an injected outage replays that time
 * @param downFor until the outage ended: until {@code start()} returned, or until
 * {@code remove} returned after as long as its real pair took
 * @param first from the end of the outage to the first 201, or {@code null} if none came
 * @param all from the end of the outage to the 201 of the last client to get one, or
 * {@code null} if some client got none
 * @param breakerAtRestore the state of the demo's circuit breaker when the outage ended
 * @param halfOpen from the end of the outage to the breaker's next transition to
 * half-open, or {@code null} if there was none (it was not open)
 * @param reconnected from the end of the outage to the pool's first new connection
 * (negative when the server accepted connections before {@code start()} returned), or
 * {@code null}
 * @param attempts requests sent by all clients together
 * @param early 201s that arrived before the outage ended (expected: none)
 */
public record Trial(Outage outage, int clients, Duration stopping, Duration downFor, Duration first, Duration all,
		String breakerAtRestore, Duration halfOpen, Duration reconnected, int attempts, int early) {

	/**
	 * Return whether every client got its 201 after the outage ended.
	 * @return whether the service recovered for all clients
	 */
	public boolean recovered() {
		return this.first != null && this.all != null && this.early == 0;
	}

}
