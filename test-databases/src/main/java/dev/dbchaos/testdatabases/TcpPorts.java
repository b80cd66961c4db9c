package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Port helpers. Loopback only: the servers managed here must never be reachable from
 * another machine.
 */
final class TcpPorts {

	static final String LOOPBACK = "127.0.0.1";

	private static final int CONNECT_TIMEOUT_MILLIS = 250;

	private TcpPorts() {
	}

	/**
	 * Return a port that is free on the loopback interface right now. It is picked once
	 * per server and kept, so that the JDBC URL survives restarts.
	 * @return a free port
	 */
	static int findFree() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port on " + LOOPBACK, ex);
		}
	}

	/**
	 * Whether something completes a TCP handshake on the port. A frozen server still does
	 * (the kernel accepts on its behalf), a stopped or killed one does not.
	 * @param host the host
	 * @param port the port
	 * @return {@code true} if a connection could be opened
	 */
	static boolean isAccepting(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
