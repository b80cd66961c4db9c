package dev.dbchaos.demo.catalogue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.dbchaos.demo.database.Database;

/**
 * The catalogue last read from the database, refreshed in the background. Shopper pages
 * are rendered from it alone, so they answer at once whatever the database does, and can
 * only ever show what the database once said: never a release that did not happen.
 */
@Component
public class LastKnownCatalogue {

	private static final Log logger = LogFactory.getLog(LastKnownCatalogue.class);

	private final CatalogueRepository repository;

	private final Database database;

	private final Duration staleAfter;

	private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.NONE);

	private volatile boolean lastRefreshFailed;

	public LastKnownCatalogue(CatalogueRepository repository, Database database, CatalogueProperties properties) {
		this.repository = repository;
		this.database = database;
		this.staleAfter = properties.getStaleAfter();
	}

	/**
	 * Return the catalogue to show.
	 * @return the last known catalogue and whether it is live
	 */
	public CatalogueView current() {
		Snapshot current = this.snapshot.get();
		boolean fresh = current != Snapshot.NONE
				&& System.nanoTime() - current.readStartedNanos() <= this.staleAfter.toNanos();
		return new CatalogueView(current.sneakers(), fresh && !this.lastRefreshFailed, current.readAt());
	}

	/**
	 * Read the catalogue from the database. A failure leaves the last known catalogue in
	 * place and marks it as not live. Not retried: the next refresh is the retry.
	 */
	@Scheduled(fixedDelayString = "${demo.catalogue.refresh-interval:500ms}")
	public void refresh() {
		long startedNanos = System.nanoTime();
		try {
			offer(this.database.once("read the catalogue", (status) -> this.repository.findAll()), startedNanos);
		}
		catch (RuntimeException ex) {
			failed(startedNanos, ex);
		}
	}

	/**
	 * Take a catalogue read elsewhere, such as in the transaction of a release, so that
	 * shoppers see the release without waiting for the next refresh.
	 * @param sneakers the sneakers read
	 * @param startedNanos the {@link System#nanoTime()} before which everything the read
	 * shows had committed
	 */
	public synchronized void offer(List<Sneaker> sneakers, long startedNanos) {
		Snapshot read = new Snapshot(sneakers, Instant.now(), startedNanos);
		// A read that started earlier may end later; it must not undo what a newer one
		// saw.
		this.snapshot.accumulateAndGet(read, (old, candidate) -> candidate.isNewerThan(old) ? candidate : old);
		this.lastRefreshFailed = false;
	}

	/**
	 * Mark the catalogue as not live, unless a read that started after the failed one has
	 * succeeded since: a refresh that failed while the circuit was open must not hide a
	 * release that was read, and offered, after it.
	 * @param startedNanos the {@link System#nanoTime()} at which the failed read started
	 * @param ex why the read failed, logged on the first of consecutive failures
	 */
	private synchronized void failed(long startedNanos, RuntimeException ex) {
		Snapshot current = this.snapshot.get();
		if (current != Snapshot.NONE && current.readStartedNanos() - startedNanos > 0) {
			return;
		}
		if (!this.lastRefreshFailed) {
			logger.warn("Serving the last known catalogue: " + ex.getMessage());
		}
		this.lastRefreshFailed = true;
	}

	private record Snapshot(List<Sneaker> sneakers, Instant readAt, long readStartedNanos) {

		static final Snapshot NONE = new Snapshot(List.of(), null, 0);

		boolean isNewerThan(Snapshot other) {
			return other == NONE || this.readStartedNanos - other.readStartedNanos >= 0;
		}

	}

}
