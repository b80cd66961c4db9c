package dev.dbchaos.demo.catalogue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the catalogue and releases sneakers, in plain SQL.
 */
@Repository
public class CatalogueRepository {

	private final JdbcClient jdbc;

	public CatalogueRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Return every sneaker with its sizes.
	 * @return the sneakers, by id
	 */
	public List<Sneaker> findAll() {
		Map<Long, SneakerRow> rows = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT s.id, s.name, s.brand, s.price_cents, s.released_at IS NOT NULL AS released,
				       st.size, st.quantity
				FROM sneaker s LEFT JOIN stock st ON st.sneaker_id = s.id
				ORDER BY s.id, length(st.size), st.size
				""").query((rs) -> {
			SneakerRow row = rows.computeIfAbsent(rs.getLong("id"), (id) -> new SneakerRow(id));
			row.fill(rs.getString("name"), rs.getString("brand"), rs.getInt("price_cents"), rs.getBoolean("released"));
			String size = rs.getString("size");
			if (size != null) {
				row.sizes.add(new SizeStock(size, rs.getInt("quantity")));
			}
		});
		return rows.values().stream().map(SneakerRow::toSneaker).toList();
	}

	/**
	 * Release a sneaker; releasing it again keeps the first release time.
	 * @param id the sneaker id
	 * @return whether the sneaker exists
	 */
	public boolean release(long id) {
		return this.jdbc.sql("UPDATE sneaker SET released_at = coalesce(released_at, now()) WHERE id = ?")
			.param(id)
			.update() == 1;
	}

	private static final class SneakerRow {

		private final long id;

		private final List<SizeStock> sizes = new ArrayList<>();

		private String name;

		private String brand;

		private int priceCents;

		private boolean released;

		private SneakerRow(long id) {
			this.id = id;
		}

		private void fill(String name, String brand, int priceCents, boolean released) {
			this.name = name;
			this.brand = brand;
			this.priceCents = priceCents;
			this.released = released;
		}

		private Sneaker toSneaker() {
			return new Sneaker(this.id, this.name, this.brand, this.priceCents, this.released, List.copyOf(this.sizes));
		}

	}

}
