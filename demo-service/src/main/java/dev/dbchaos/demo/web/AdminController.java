package dev.dbchaos.demo.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;

import dev.dbchaos.demo.catalogue.CatalogueService;
import dev.dbchaos.demo.catalogue.LastKnownCatalogue;
import dev.dbchaos.demo.catalogue.Sneaker;
import dev.dbchaos.demo.database.Database;

/**
 * The admin page and the release of a sneaker. The release goes to the database or fails
 * with 503: it is the one thing that must never be answered from the last known
 * catalogue.
 */
@Controller
class AdminController {

	private final LastKnownCatalogue lastKnown;

	private final CatalogueService catalogue;

	private final Database database;

	AdminController(LastKnownCatalogue lastKnown, CatalogueService catalogue, Database database) {
		this.lastKnown = lastKnown;
		this.catalogue = catalogue;
		this.database = database;
	}

	@GetMapping("/admin")
	String admin(Model model) {
		model.addAttribute("catalogue", this.lastKnown.current());
		model.addAttribute("circuit", this.database.circuitState());
		return "admin";
	}

	@PostMapping("/admin/sneakers/{id}/release")
	@ResponseBody
	Sneaker release(@PathVariable long id) {
		return this.catalogue.release(id);
	}

}
