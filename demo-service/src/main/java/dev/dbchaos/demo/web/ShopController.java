package dev.dbchaos.demo.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.dbchaos.demo.catalogue.LastKnownCatalogue;

/**
 * The shopper page. Rendered from the last known catalogue only, never from the database,
 * so it answers at once while the database is stopped or frozen.
 */
@Controller
class ShopController {

	private final LastKnownCatalogue catalogue;

	ShopController(LastKnownCatalogue catalogue) {
		this.catalogue = catalogue;
	}

	@GetMapping("/")
	String shop(Model model) {
		model.addAttribute("catalogue", this.catalogue.current());
		return "shop";
	}

	/**
	 * The catalogue part of the page, which the page polls to update itself.
	 * @param model the model the last known catalogue is added to
	 * @return the view of the page's {@code catalogue} fragment
	 */
	@GetMapping("/catalogue")
	String catalogue(Model model) {
		model.addAttribute("catalogue", this.catalogue.current());
		return "shop :: catalogue";
	}

}
