package dev.dbchaos.it.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import dev.dbchaos.fault.FaultRegistry;
import dev.dbchaos.fault.FaultRule;
import dev.dbchaos.testdatabases.ManagedDatabase;
import dev.dbchaos.testdatabases.OwnDatabase;

/**
 * When a scenario fails, prints what is needed to understand it from the CI log alone:
 * the fault rules active at the moment of the failure, the circuit breakers' states, and
 * the end of the database server's log. The report is also attached to the failure as a
 * suppressed exception, so that it reaches the Failsafe XML report.
 * <p>
 * Runs while the failure propagates, before any {@code @AfterEach} clears the faults or
 * restarts the server. Finds the server in the test class's static
 * {@link ManagedDatabase} (or {@link OwnDatabase}) fields, and the faults in the Spring
 * test context's {@link FaultRegistry}.
 */
public class FailureDiagnostics implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

	private static final int LOG_LINES = 60;

	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw report(context, failure);
	}

	@Override
	public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw report(context, failure);
	}

	@Override
	public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw report(context, failure);
	}

	@Override
	public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		throw report(context, failure);
	}

	private static Throwable report(ExtensionContext context, Throwable failure) {
		if (failure instanceof TestAbortedException) {
			return failure;
		}
		String report = describe(context);
		System.err.println(report);
		failure.addSuppressed(new DiagnosticsReport(report));
		return failure;
	}

	static String describe(ExtensionContext context) {
		StringBuilder report = new StringBuilder();
		report.append("\n======== dbchaos IT failure diagnostics: ")
			.append(context.getDisplayName())
			.append(" (")
			.append(context.getRequiredTestClass().getSimpleName())
			.append(") ========\n");
		ApplicationContext spring = springContext(context);
		if (spring != null) {
			report.append("Fault rules active at the failure:\n").append(faults(spring));
			report.append("Circuit breakers: ").append(circuitBreakers(spring)).append('\n');
		}
		else {
			report.append("(no Spring context: fault rules unknown)\n");
		}
		for (ManagedDatabase server : servers(context)) {
			report.append(server.getClass().getSimpleName())
				.append(" on port ")
				.append(safePort(server))
				.append(" (running: ")
				.append(safeRunning(server))
				.append("), last ")
				.append(LOG_LINES)
				.append(" log lines:\n");
			try {
				report.append(server.logTail(LOG_LINES)).append('\n');
			}
			catch (RuntimeException ex) {
				report.append("  (log unavailable: ").append(ex).append(")\n");
			}
		}
		return report.append("======== end of diagnostics ========\n").toString();
	}

	private static ApplicationContext springContext(ExtensionContext context) {
		try {
			return SpringExtension.getApplicationContext(context);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static String faults(ApplicationContext spring) {
		try {
			List<FaultRule> rules = spring.getBean(FaultRegistry.class).getRules();
			if (rules.isEmpty()) {
				return "  (none)\n";
			}
			return rules.stream().map((rule) -> "  " + rule + "\n").collect(Collectors.joining());
		}
		catch (RuntimeException ex) {
			return "  (unavailable: " + ex + ")\n";
		}
	}

	private static String circuitBreakers(ApplicationContext spring) {
		try {
			return spring.getBean(CircuitBreakerRegistry.class)
				.getAllCircuitBreakers()
				.stream()
				.map((breaker) -> breaker.getName() + "=" + breaker.getState() + " (failure rate "
						+ breaker.getMetrics().getFailureRate() + "%, slow " + breaker.getMetrics().getSlowCallRate()
						+ "%)")
				.collect(Collectors.joining(", "));
		}
		catch (RuntimeException ex) {
			return "(unavailable: " + ex + ")";
		}
	}

	private static List<ManagedDatabase> servers(ExtensionContext context) {
		List<ManagedDatabase> servers = new ArrayList<>();
		for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				boolean server = ManagedDatabase.class.isAssignableFrom(field.getType())
						|| OwnDatabase.class.isAssignableFrom(field.getType());
				if (Modifier.isStatic(field.getModifiers()) && server) {
					try {
						field.setAccessible(true);
						Object value = field.get(null);
						if (value instanceof OwnDatabase<?> own) {
							servers.add(own.server());
						}
						else if (value != null) {
							servers.add((ManagedDatabase) value);
						}
					}
					catch (ReflectiveOperationException | RuntimeException ex) {
						// Diagnostics must never hide the failure they describe.
					}
				}
			}
		}
		return servers;
	}

	private static Object safePort(ManagedDatabase server) {
		try {
			return server.port();
		}
		catch (RuntimeException ex) {
			return "?";
		}
	}

	private static Object safeRunning(ManagedDatabase server) {
		try {
			return server.isRunning();
		}
		catch (RuntimeException ex) {
			return "?";
		}
	}

	/**
	 * The diagnostics, carried by the failure into the test report.
	 */
	static final class DiagnosticsReport extends RuntimeException {

		DiagnosticsReport(String report) {
			super(report, null, false, false);
		}

	}

}
