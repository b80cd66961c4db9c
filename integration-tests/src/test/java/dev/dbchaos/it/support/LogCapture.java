package dev.dbchaos.it.support;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Records what the demo's own loggers ({@code dev.dbchaos.demo}) say while it is
 * attached: logger, level and message of each event. An appender on the demo's loggers
 * rather than captured console output, so that the comparison is about levels and
 * messages, not layout.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

	private static final String DEMO_LOGGERS = "dev.dbchaos.demo";

	private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

	private final Logger logger;

	private LogCapture(Logger logger) {
		this.logger = logger;
	}

	/**
	 * Start recording the demo's log events.
	 * @return the capture; close it to stop
	 */
	public static LogCapture demo() {
		Logger logger = (Logger) LoggerFactory.getLogger(DEMO_LOGGERS);
		LogCapture capture = new LogCapture(logger);
		capture.setName("it-log-capture");
		capture.setContext(logger.getLoggerContext());
		capture.start();
		logger.addAppender(capture);
		return capture;
	}

	@Override
	protected void append(ILoggingEvent event) {
		this.events.add(event);
	}

	/**
	 * Return each distinct "LEVEL logger: message" line recorded, sorted.
	 * @return the lines
	 */
	public Set<String> lines() {
		Set<String> lines = new TreeSet<>();
		for (ILoggingEvent event : this.events) {
			lines.add(event.getLevel() + " " + shortName(event.getLoggerName()) + ": " + event.getFormattedMessage());
		}
		return lines;
	}

	/**
	 * Return the messages a logger said, in order, once per event.
	 * @param loggerSimpleName such as {@code ApiExceptionHandler}
	 * @return the messages
	 */
	public List<String> messages(String loggerSimpleName) {
		return this.events.stream()
			.filter((event) -> shortName(event.getLoggerName()).equals(loggerSimpleName))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	/**
	 * Return whether anything was logged at the level by a logger whose name ends with
	 * the given simple name.
	 * @param level the level, such as {@code WARN}
	 * @param loggerSimpleName such as {@code LastKnownCatalogue}
	 * @return whether such an event was recorded
	 */
	public boolean has(String level, String loggerSimpleName) {
		return this.events.stream()
			.anyMatch((event) -> event.getLevel().toString().equals(level)
					&& shortName(event.getLoggerName()).equals(loggerSimpleName));
	}

	public void reset() {
		this.events.clear();
	}

	@Override
	public void close() {
		this.logger.detachAppender(this);
		stop();
	}

	private static String shortName(String loggerName) {
		return loggerName.substring(loggerName.lastIndexOf('.') + 1);
	}

}
