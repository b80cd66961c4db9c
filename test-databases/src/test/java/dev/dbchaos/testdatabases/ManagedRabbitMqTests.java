package dev.dbchaos.testdatabases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ManagedRabbitMq}, against a real broker, with RabbitMQ's Java client.
 * One broker serves the class; the test of {@code close()} starts one of its own beside
 * it.
 */
class ManagedRabbitMqTests {

	private static ManagedRabbitMq rabbit;

	@BeforeAll
	static void createBroker() {
		ManagedRabbitMq.assumeInstalled();
		rabbit = new ManagedRabbitMq();
	}

	@AfterAll
	static void closeBroker() {
		if (rabbit != null) {
			rabbit.close();
		}
	}

	// Whatever the previous test did to it, each test starts with a broker that answers.
	@BeforeEach
	void startBroker() {
		rabbit.start();
	}

	@Test
	void aStartedBrokerTakesMessagesFromAClientConnectedWithTheSpringProperties() throws Exception {
		Map<String, String> properties = rabbit.springProperties();
		assertThat(properties).containsEntry("spring.rabbitmq.host", "127.0.0.1")
			.containsEntry("spring.rabbitmq.port", Integer.toString(rabbit.port()))
			.containsEntry("spring.rabbitmq.username", "guest")
			.containsEntry("spring.rabbitmq.password", "guest");
		ConnectionFactory factory = factory(properties.get("spring.rabbitmq.host"),
				Integer.parseInt(properties.get("spring.rabbitmq.port")), properties.get("spring.rabbitmq.username"),
				properties.get("spring.rabbitmq.password"));
		assertThat(roundTrip(factory, "hello")).isEqualTo("hello");
	}

	@Test
	void aStoppedBrokerRefusesConnectionsAndStartsAgainOnTheSamePortWithItsData() throws Exception {
		int port = rabbit.port();
		try (Connection connection = factory(rabbit).newConnection(); Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			channel.queueDeclare("kept", true, false, false, null);
			channel.queuePurge("kept");
			channel.basicPublish("", "kept", MessageProperties.PERSISTENT_TEXT_PLAIN,
					"before the restart".getBytes(StandardCharsets.UTF_8));
			channel.waitForConfirmsOrDie(10_000);
		}

		rabbit.stop();

		assertThat(rabbit.isRunning()).isFalse();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> factory(rabbit).newConnection().close());

		rabbit.start();

		assertThat(rabbit.port()).isEqualTo(port);
		assertThat(rabbit.isRunning()).isTrue();
		try (Connection connection = factory(rabbit).newConnection(); Channel channel = connection.createChannel()) {
			GetResponse kept = channel.basicGet("kept", true);
			assertThat(kept).as("a durable queue's message survives the restart").isNotNull();
			assertThat(new String(kept.getBody(), StandardCharsets.UTF_8)).isEqualTo("before the restart");
		}
	}

	@Test
	void consumersByQueueCountsTheConsumersOfEachQueue() throws Exception {
		try (Connection connection = factory(rabbit).newConnection(); Channel channel = connection.createChannel()) {
			String consumed = channel.queueDeclare().getQueue();
			String idle = channel.queueDeclare().getQueue();
			channel.basicConsume(consumed, true, (tag, delivery) -> {
			}, (tag) -> {
			});
			assertThat(rabbit.consumersByQueue()).containsEntry(consumed, 1).containsEntry(idle, 0);
		}
	}

	@Test
	void stopAndStartAreNothingWhenAlreadyDone() throws Exception {
		rabbit.start();
		assertThat(roundTrip(factory(rabbit), "still up")).isEqualTo("still up");
		rabbit.stop();
		rabbit.stop();
		assertThat(rabbit.isRunning()).isFalse();
	}

	@Test
	void closeLeavesNoProcessNoOpenPortAndNoDataButTheLog() throws Exception {
		ManagedRabbitMq other = new ManagedRabbitMq();
		long server;
		long epmd;
		try {
			other.start();
			assertThat(other.port()).as("a broker of its own beside the class's")
				.isNotEqualTo(rabbit.port())
				.isNotEqualTo(5672);
			assertThat(roundTrip(factory(other), "beside")).isEqualTo("beside");
			assertThat(roundTrip(factory(rabbit), "the class's")).isEqualTo("the class's");
			server = other.serverPid().orElseThrow();
			epmd = other.epmdPid().orElseThrow();
		}
		finally {
			other.close();
		}
		assertThat(ServerProcesses.isAlive(server)).as("the node").isFalse();
		assertThat(ServerProcesses.isAlive(epmd)).as("its port mapper").isFalse();
		assertThat(TcpPorts.isAccepting(TcpPorts.LOOPBACK, other.port())).isFalse();
		assertThat(children(other.directory())).containsExactly("epmd.log", "rabbitmq.log");
		assertThat(other.logTail(200)).contains(other.nodeName());
		assertThat(roundTrip(factory(rabbit), "the class's, still")).isEqualTo("the class's, still");
	}

	private static List<String> children(Path directory) throws IOException {
		try (Stream<Path> children = Files.list(directory)) {
			return children.map((child) -> child.getFileName().toString()).sorted().toList();
		}
	}

	private static String roundTrip(ConnectionFactory factory, String text) throws IOException, TimeoutException {
		try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
			String queue = channel.queueDeclare().getQueue();
			channel.basicPublish("", queue, null, text.getBytes(StandardCharsets.UTF_8));
			// A channel's methods are handled in order: the message is in the queue
			// before the get is answered.
			GetResponse response = channel.basicGet(queue, true);
			assertThat(response).as("the message just published").isNotNull();
			return new String(response.getBody(), StandardCharsets.UTF_8);
		}
	}

	private static ConnectionFactory factory(ManagedRabbitMq broker) {
		return factory(broker.host(), broker.port(), broker.username(), broker.password());
	}

	private static ConnectionFactory factory(String host, int port, String username, String password) {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(host);
		factory.setPort(port);
		factory.setUsername(username);
		factory.setPassword(password);
		factory.setConnectionTimeout(5_000);
		factory.setAutomaticRecoveryEnabled(false);
		return factory;
	}

}
