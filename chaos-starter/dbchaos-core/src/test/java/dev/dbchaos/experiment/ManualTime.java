package dev.dbchaos.experiment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A clock and a scheduler whose time moves only when a test advances it, running the
 * tasks that fall due on the way, in order.
 */
class ManualTime extends Clock implements Scheduler {

	private final PriorityQueue<Task> tasks = new PriorityQueue<>(
			Comparator.comparing(Task::due).thenComparingLong(Task::sequence));

	private Instant now = Instant.parse("2026-01-01T00:00:00Z");

	private long sequence;

	private final Set<Check> holding = new HashSet<>();

	private final Map<Check, List<CompletableFuture<Observation>>> held = new HashMap<>();

	void advance(Duration duration) {
		Instant until = this.now.plus(duration);
		while (!this.tasks.isEmpty() && !this.tasks.peek().due().isAfter(until)) {
			Task task = this.tasks.poll();
			this.now = task.due();
			if (!task.cancelled[0]) {
				if (task.period() != null) {
					this.tasks.add(new Task(task.due().plus(task.period()), ++this.sequence, task.run(), task.period(),
							task.cancelled));
				}
				task.run().run();
			}
		}
		this.now = until;
	}

	@Override
	public Runnable schedule(Runnable task, Duration delay) {
		return add(task, delay, null);
	}

	@Override
	public Runnable scheduleRepeatedly(Runnable task, Duration period) {
		return add(task, period, period);
	}

	private Runnable add(Runnable run, Duration delay, Duration period) {
		boolean[] cancelled = new boolean[1];
		this.tasks.add(new Task(this.now.plus(delay), ++this.sequence, run, period, cancelled));
		return () -> cancelled[0] = true;
	}

	/**
	 * Keep the answers of a check's observations back until {@link #answer(Check)}, as a
	 * slow check's would be.
	 */
	void holdAnswersOf(Check check) {
		this.holding.add(check);
	}

	/**
	 * Answer the check's held observations with what it observes now, and answer the next
	 * ones at once again.
	 */
	void answer(Check check) {
		this.holding.remove(check);
		List<CompletableFuture<Observation>> held = this.held.remove(check);
		if (held != null) {
			held.forEach((observation) -> observation.complete(check.observe()));
		}
	}

	@Override
	public CompletableFuture<Observation> observe(Check check) {
		if (!this.holding.contains(check)) {
			return Scheduler.super.observe(check);
		}
		CompletableFuture<Observation> observation = new CompletableFuture<>();
		this.held.computeIfAbsent(check, (key) -> new ArrayList<>()).add(observation);
		return observation;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	private record Task(Instant due, long sequence, Runnable run, Duration period, boolean[] cancelled) {

	}

}
