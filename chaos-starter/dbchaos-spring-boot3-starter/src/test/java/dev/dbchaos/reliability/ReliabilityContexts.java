package dev.dbchaos.reliability;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.transaction.TransactionSystemException;

import dev.dbchaos.autoconfigure.DbChaosAutoConfiguration;
import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * What the reliability tests share: an application context with dbchaos enabled, so that
 * the proxy sits beneath HikariCP exactly as in a real service, against the real
 * PostgreSQL.
 */
final class ReliabilityContexts {

	private ReliabilityContexts() {
	}

	static ApplicationContextRunner hikariWithDbChaos() {
		ManagedPostgres postgres = ManagedPostgres.shared();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, DbChaosAutoConfiguration.class))
			.withPropertyValues("dbchaos.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl(),
					"spring.datasource.username=" + postgres.username(),
					"spring.datasource.password=" + postgres.password(),
					"spring.datasource.hikari.connection-timeout=2000");
	}

	/**
	 * Silence loggers that would write a line per rule change or per broken connection:
	 * these tests make hundreds of thousands of both, on purpose.
	 */
	static void quiet(String... loggers) {
		LoggingSystem logging = LoggingSystem.get(ReliabilityContexts.class.getClassLoader());
		for (String logger : loggers) {
			logging.setLogLevel(logger, LogLevel.ERROR);
		}
	}

	/**
	 * The SQLState of the failure: of the first exception in the chain that has one, or
	 * {@code null}.
	 */
	static String sqlState(Throwable failure) {
		// When the rollback fails too (HikariCP has closed the broken connection:
		// "Connection is
		// closed", no SQLState), the failure that caused it is the application exception.
		if (failure instanceof TransactionSystemException transaction
				&& transaction.getApplicationException() != null) {
			String state = sqlState(transaction.getApplicationException());
			if (state != null) {
				return state;
			}
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
		}
		return null;
	}

	/**
	 * Whether the failure is HikariCP giving up waiting for a connection.
	 */
	static boolean isPoolTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.sql.SQLTransientConnectionException
					&& String.valueOf(cause.getMessage()).contains("Connection is not available")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The exception chain, one line per cause, for assertion messages.
	 */
	static String chain(Throwable failure) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			text.append("\n  ").append(cause.getClass().getName()).append(": ").append(cause.getMessage());
			if (cause instanceof SQLException sql) {
				text.append(" [SQLState ").append(sql.getSQLState()).append(']');
			}
		}
		return text.toString();
	}

	static String counts(Map<String, ? extends Number> counts) {
		return new TreeMap<>(counts).entrySet()
			.stream()
			.map((entry) -> "`" + entry.getKey() + "` × " + entry.getValue())
			.collect(Collectors.joining(", "));
	}

}
