package dev.dbchaos.demo.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.dbchaos.demo.catalogue.CatalogueService;
import dev.dbchaos.demo.catalogue.Sneaker;

/**
 * The live catalogue as JSON. Unlike the shopper page it answers 503 while the database
 * is away: an API client asked for live stock and should not get stale stock silently.
 */
@RestController
class SneakerApiController {

	private final CatalogueService catalogue;

	SneakerApiController(CatalogueService catalogue) {
		this.catalogue = catalogue;
	}

	@GetMapping("/api/sneakers")
	List<Sneaker> sneakers() {
		return this.catalogue.sneakers();
	}

}
