package dev.dbchaos.it.experiments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.ResponseEntity;

import dev.dbchaos.demo.ShopClient;

/**
 * Shoppers viewing the shop's pages and buyers placing orders, each on a thread of its
 * own with a fixed delay between requests, so that an answer held up by an outage delays
 * only that thread's next request. Every answer is kept, with when its request was sent,
 * so that a test can account for each failure it accepts.
 */
final class ShopTraffic implements AutoCloseable {

	/** The shopper page's route. */
	static final String PAGE = "/";

	/** The route of the catalogue fragment the page polls. */
	static final String CATALOGUE = "/catalogue";

	/** The route of orders. */
	static final String ORDERS = "/api/orders";

	private static final long PAGE_DELAY_MILLIS = 200;

	private static final long ORDER_DELAY_MILLIS = 100;

	private static final int BUYERS = 2;

	private final ShopClient shop;

	private final long sneakerId;

	private final String size;

	private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(BUYERS + 1, (task) -> {
		Thread thread = new Thread(task, "shop-traffic");
		thread.setDaemon(true);
		return thread;
	});

	private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

	private ShopTraffic(ShopClient shop, long sneakerId, String size) {
		this.shop = shop;
		this.sneakerId = sneakerId;
		this.size = size;
		AtomicBoolean catalogue = new AtomicBoolean();
		this.executor.scheduleWithFixedDelay(() -> {
			if (catalogue.compareAndSet(false, true)) {
				send(CATALOGUE, this.shop::catalogueFragment);
			}
			else {
				catalogue.set(false);
				send(PAGE, this.shop::page);
			}
		}, 0, PAGE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
		for (int i = 0; i < BUYERS; i++) {
			this.executor.scheduleWithFixedDelay(
					() -> send(ORDERS,
							() -> this.shop.order(UUID.randomUUID().toString(), this.sneakerId, this.size, 1)),
					0, ORDER_DELAY_MILLIS, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Start viewing pages and ordering one pair of the given sneaker and size at a time.
	 * @param shop the client the requests are sent with
	 * @param sneakerId the sneaker to order
	 * @param size its size
	 * @return the traffic, running until closed
	 */
	static ShopTraffic start(ShopClient shop, long sneakerId, String size) {
		return new ShopTraffic(shop, sneakerId, size);
	}

	private void send(String route, Supplier<ResponseEntity<?>> request) {
		Instant sentAt = Instant.now();
		try {
			ResponseEntity<?> response = request.get();
			String title = (response.getBody() instanceof JsonNode json && json.has("title"))
					? json.get("title").asText() : null;
			this.answers.add(new Answer(route, sentAt, Instant.now(), response.getStatusCode().value(), title));
		}
		catch (RuntimeException ex) {
			// Kept, not thrown: a task that throws is never run again by the executor.
			this.answers.add(new Answer(route, sentAt, Instant.now(), -1, ex.toString()));
		}
	}

	/**
	 * Return the answers so far, in the order they came.
	 * @return the answers
	 */
	List<Answer> answers() {
		return new ArrayList<>(this.answers);
	}

	@Override
	public void close() throws InterruptedException {
		this.executor.shutdownNow();
		if (!this.executor.awaitTermination(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Shop traffic did not stop within 30 s");
		}
	}

	/**
	 * One answer of the shop.
	 *
	 * @param route the route asked for
	 * @param sentAt when the request was sent
	 * @param answeredAt when the answer came
	 * @param status the HTTP status, -1 when there was no answer
	 * @param title the problem's title of an error answer, or what went wrong without an
	 * answer
	 */
	record Answer(String route, Instant sentAt, Instant answeredAt, int status, String title) {

		boolean isOrder() {
			return ORDERS.equals(this.route);
		}

		boolean isPage() {
			return PAGE.equals(this.route) || CATALOGUE.equals(this.route);
		}

		boolean succeeded() {
			return this.status >= 200 && this.status < 300;
		}

		boolean sentBetween(Instant from, Instant to) {
			return !this.sentAt.isBefore(from) && this.sentAt.isBefore(to);
		}

		/**
		 * Whether the request was in flight at some moment between the two: sent before
		 * the end, answered after the start.
		 */
		boolean inFlightBetween(Instant from, Instant to) {
			return this.sentAt.isBefore(to) && this.answeredAt.isAfter(from);
		}

	}

}
