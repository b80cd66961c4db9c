package dev.dbchaos.demo.catalogue;

import java.util.List;

import org.springframework.stereotype.Service;

import dev.dbchaos.demo.database.Database;
import dev.dbchaos.demo.database.DatabaseUnavailableException;

/**
 * The strongly consistent side of the catalogue: live reads and the admin release, both
 * straight from the database, failing with {@link DatabaseUnavailableException} when it
 * is away.
 */
@Service
public class CatalogueService {

	private final CatalogueRepository repository;

	private final Database database;

	private final LastKnownCatalogue lastKnown;

	public CatalogueService(CatalogueRepository repository, Database database, LastKnownCatalogue lastKnown) {
		this.repository = repository;
		this.database = database;
		this.lastKnown = lastKnown;
	}

	/**
	 * Read every sneaker from the database.
	 * @return the sneakers
	 */
	public List<Sneaker> sneakers() {
		return this.database.inTransaction("read the catalogue", (status) -> this.repository.findAll());
	}

	/**
	 * Release a sneaker, so that shoppers can buy it. Releasing it twice is harmless,
	 * which is what makes the retry safe.
	 * @param id the sneaker id
	 * @return the released sneaker
	 * @throws SneakerNotFoundException if there is no such sneaker
	 * @throws DatabaseUnavailableException if the database is away: nothing was released
	 */
	public Sneaker release(long id) {
		List<Sneaker> catalogue = this.database.inTransaction("release the sneaker", (status) -> {
			if (!this.repository.release(id)) {
				throw new SneakerNotFoundException(id);
			}
			return this.repository.findAll();
		});
		// Committed now: hand the catalogue to the shopper pages, so that they show the
		// release
		// on their next poll, without another database call that an open circuit could
		// refuse.
		this.lastKnown.offer(catalogue, System.nanoTime());
		return catalogue.stream().filter((sneaker) -> sneaker.id() == id).findFirst().orElseThrow();
	}

}
