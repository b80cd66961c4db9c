package dev.dbchaos.experiment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A clock and a scheduler whose time moves only when a test advances it, running the
 * tasks that fall due on the way, in order.
 */
class ManualTime extends Clock implements Scheduler {

	private final PriorityQueue<Task> tasks = new PriorityQueue<>(
			Comparator.comparing(Task::due).thenComparingLong(Task::sequence));

	private Instant now = Instant.parse("2026-01-01T00:00:00Z");

	private long sequence;

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
