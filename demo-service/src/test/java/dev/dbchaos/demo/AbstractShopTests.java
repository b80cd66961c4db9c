package dev.dbchaos.demo;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * What the tests of the running shop share: the whole application on a random port, a
 * context of its own that is closed after the class (each class has its own database,
 * registered by the subclass's {@code @DynamicPropertySource}), and a {@link ShopClient}
 * connected to it before each test, and a look at its tables. A subclass that needs other
 * properties restates {@code @SpringBootTest} with them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
public abstract class AbstractShopTests {

	@LocalServerPort
	private int port;

	@Autowired
	private JdbcClient jdbc;

	private ShopClient shop;

	@BeforeEach
	void connectToTheShop() {
		this.shop = new ShopClient(this.port);
	}

	/**
	 * Return the client of the shop under test.
	 * @return the client
	 */
	protected final ShopClient shop() {
		return this.shop;
	}

	/**
	 * Load the shop's page, as a browser does.
	 * @return the page
	 */
	protected final ShopPage page() {
		return new ShopPage(this.shop.page().getBody());
	}

	/**
	 * Return a client of the shop's database, through the shop's own pool (and with it
	 * any fault injected there).
	 * @return the client
	 */
	protected final JdbcClient jdbc() {
		return this.jdbc;
	}

	/**
	 * Read the stock of one size of a sneaker.
	 * @param sneakerId the sneaker
	 * @param size the size
	 * @return how many are left
	 */
	protected final int stock(long sneakerId, String size) {
		return this.jdbc.sql("SELECT quantity FROM stock WHERE sneaker_id = ? AND size = ?")
			.params(sneakerId, size)
			.query(Integer.class)
			.single();
	}

	/**
	 * Count the orders placed with an idempotency key.
	 * @param key the key
	 * @return how many orders carry it
	 */
	protected final int ordersWithKey(String key) {
		return this.jdbc.sql("SELECT count(*) FROM customer_order WHERE idempotency_key = ?")
			.param(key)
			.query(Integer.class)
			.single();
	}

}
