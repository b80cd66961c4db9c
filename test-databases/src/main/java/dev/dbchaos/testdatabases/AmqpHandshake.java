package dev.dbchaos.testdatabases;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The opening of an AMQP 0-9-1 connection, as a client makes it: whether a broker answers
 * the protocol header with its {@code connection.start}. RabbitMQ opens its AMQP listener
 * once it has booted, and a kernel may accept a TCP connection on behalf of a process
 * that then says nothing; only a broker that is up answers.
 */
final class AmqpHandshake {

	private static final byte[] PROTOCOL_HEADER = { 'A', 'M', 'Q', 'P', 0, 0, 9, 1 };

	private static final int FRAME_METHOD = 1;

	private static final int CLASS_CONNECTION = 10;

	private static final int METHOD_START = 10;

	private static final int CONNECT_TIMEOUT_MILLIS = 250;

	// A booted broker answers at once; one still booting may accept and answer later,
	// and the next attempt will see it.
	private static final int READ_TIMEOUT_MILLIS = 2000;

	private AmqpHandshake() {
	}

	/**
	 * Whether an AMQP 0-9-1 broker answers on the port.
	 * @param host the host
	 * @param port the port
	 * @return {@code true} if the broker sent {@code connection.start}
	 */
	static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
			socket.setSoTimeout(READ_TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(PROTOCOL_HEADER);
			out.flush();
			DataInputStream in = new DataInputStream(socket.getInputStream());
			int type = in.readUnsignedByte();
			int channel = in.readUnsignedShort();
			in.readInt(); // the frame's size
			int classId = in.readUnsignedShort();
			int methodId = in.readUnsignedShort();
			return type == FRAME_METHOD && channel == 0 && classId == CLASS_CONNECTION && methodId == METHOD_START;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
