package dev.dbchaos.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TCP proxy between a driver and a real server that drops a connection as a network
 * does, for the fidelity tests' real events that no server command brings about: a commit
 * that reached the server and was applied, whose reply never comes back
 * ({@link #afterReplyTo(String)}), and a connection that breaks while a query's rows are
 * still to be fetched ({@link #atNextRequest()}) or are streaming in ({@link #now()}).
 * The driver's socket is closed under it (it reads the end of the stream), and so is the
 * server's, which ends the session.
 * <p>
 * Everything else is passed on byte for byte, each direction by a thread of its own.
 */
final class NetworkCut implements AutoCloseable {

	private static final Pattern ADDRESS = Pattern.compile("//([^/:]+):(\\d+)/");

	private final ServerSocket listener;

	private final InetSocketAddress server;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final AtomicReference<Trigger> armed = new AtomicReference<>();

	private final CountDownLatch cut = new CountDownLatch(1);

	/**
	 * Listen on a free local port for connections to pass on to a server.
	 * @param jdbcUrl the server's URL, of the form {@code jdbc:driver://host:port/...}
	 */
	NetworkCut(String jdbcUrl) {
		Matcher address = ADDRESS.matcher(jdbcUrl);
		if (!address.find()) {
			throw new IllegalArgumentException("No host:port in " + jdbcUrl);
		}
		try {
			this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server = new InetSocketAddress(address.group(1), Integer.parseInt(address.group(2)));
		Thread acceptor = new Thread(this::accept, "network-cut-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Return a JDBC URL that leads through this proxy to the server the given URL names.
	 * @param jdbcUrl the server's URL, of the form {@code jdbc:driver://host:port/...}
	 * @return the same URL with this proxy's host and port
	 */
	String url(String jdbcUrl) {
		return ADDRESS.matcher(jdbcUrl).replaceFirst("//127.0.0.1:" + this.listener.getLocalPort() + "/");
	}

	/**
	 * Cut the next connection that sends a request containing the text, once the request
	 * has reached the server and the server has answered it: the answer is dropped.
	 * @param text the text of the request, such as {@code COMMIT}
	 */
	void afterReplyTo(String text) {
		this.armed.set(new Trigger(text.getBytes(StandardCharsets.US_ASCII), true));
	}

	/**
	 * Cut the next connection that sends anything, before the request reaches the server.
	 */
	void atNextRequest() {
		this.armed.set(new Trigger(new byte[0], false));
	}

	/**
	 * Cut every connection now, in whatever the server is sending: what the driver has
	 * received already it still reads.
	 */
	void now() {
		this.sockets.forEach(NetworkCut::closeQuietly);
		this.cut.countDown();
	}

	/**
	 * Wait until a connection has been cut.
	 * @param timeout how long at most
	 * @return whether one was
	 */
	boolean awaitCut(Duration timeout) throws InterruptedException {
		return this.cut.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Run a scenario through a pool whose connections pass through a network cut, and
	 * check that the network did cut one.
	 * @param pools the test's pools
	 * @param jdbcUrl the server's URL
	 * @param scenario what to observe, given the pool and the network
	 * @return the observation
	 */
	static Map<String, String> observe(FidelityPools pools, String jdbcUrl, Scenario scenario) throws Exception {
		try (NetworkCut network = new NetworkCut(jdbcUrl)) {
			Map<String, String> observation = scenario.observe(pools.started(network.url(jdbcUrl)), network);
			assertThat(network.awaitCut(Duration.ofSeconds(5))).as("the network cut a connection").isTrue();
			return observation;
		}
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				Socket upstream = new Socket();
				upstream.connect(this.server);
				this.sockets.add(client);
				this.sockets.add(upstream);
				Link link = new Link(client, upstream);
				start("network-cut-request", link::passRequests);
				start("network-cut-reply", link::passReplies);
			}
			catch (IOException ex) {
				// Closed: no more connections.
			}
		}
	}

	private static void start(String name, Runnable pump) {
		Thread thread = new Thread(pump, name);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() {
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		this.sockets.forEach(NetworkCut::closeQuietly);
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Already closed.
		}
	}

	/**
	 * A fidelity scenario run through a network cut.
	 */
	@FunctionalInterface
	interface Scenario {

		Map<String, String> observe(HikariDataSource pool, NetworkCut network) throws SQLException;

	}

	/**
	 * When to cut: at a request containing these bytes (any request for none), after its
	 * reply or before it is passed on.
	 */
	private record Trigger(byte[] text, boolean afterReply) {

		boolean matches(byte[] buffer, int length) {
			outer: for (int i = 0; i + this.text.length <= length; i++) {
				for (int j = 0; j < this.text.length; j++) {
					if (buffer[i + j] != this.text[j]) {
						continue outer;
					}
				}
				return true;
			}
			return false;
		}

	}

	/** One connection through the proxy. */
	private final class Link {

		private final Socket client;

		private final Socket upstream;

		// Set once a request has been passed on whose reply is to be dropped.
		private volatile boolean dropReply;

		Link(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void passRequests() {
			byte[] buffer = new byte[65536];
			try (InputStream in = this.client.getInputStream(); OutputStream out = this.upstream.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					Trigger trigger = NetworkCut.this.armed.get();
					if (trigger != null && trigger.matches(buffer, read)
							&& NetworkCut.this.armed.compareAndSet(trigger, null)) {
						if (!trigger.afterReply()) {
							cutBoth();
							return;
						}
						// Set before the request goes on, so that its reply cannot pass.
						this.dropReply = true;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// One side went away: so does the other.
			}
			closeBoth();
		}

		void passReplies() {
			byte[] buffer = new byte[65536];
			try (InputStream in = this.upstream.getInputStream(); OutputStream out = this.client.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					if (this.dropReply) {
						cutBoth();
						return;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// One side went away: so does the other.
			}
			closeBoth();
		}

		private void cutBoth() {
			closeBoth();
			NetworkCut.this.cut.countDown();
		}

		private void closeBoth() {
			closeQuietly(this.client);
			closeQuietly(this.upstream);
		}

	}

}
