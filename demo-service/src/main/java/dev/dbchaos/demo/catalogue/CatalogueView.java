package dev.dbchaos.demo.catalogue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The catalogue as shoppers see it: the last one read from the database, and whether it
 * is live or the database is away.
 *
 * @param sneakers the sneakers, empty before the first successful read
 * @param live whether the last read succeeded recently
 * @param readAt when the sneakers were read, {@code null} before the first successful
 * read
 */
public record CatalogueView(List<Sneaker> sneakers, boolean live, Instant readAt) {

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss")
		.withZone(ZoneId.systemDefault());

	/**
	 * Return the time of day the sneakers were read, such as {@code 14:03:59}.
	 * @return the time, {@code null} before the first successful read
	 */
	public String readAtClock() {
		return (this.readAt != null) ? CLOCK.format(this.readAt) : null;
	}

}
