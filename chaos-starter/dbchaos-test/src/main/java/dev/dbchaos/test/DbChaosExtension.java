package dev.dbchaos.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import org.springframework.util.ClassUtils;

import dev.dbchaos.DbChaosScope;
import dev.dbchaos.client.DbChaosClient;
import dev.dbchaos.experiment.ExperimentReport;

/**
 * The JUnit 5 extension behind {@link DbChaosTest @DbChaosTest}.
 *
 * @since 0.1.0
 */
public class DbChaosExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(DbChaosExtension.class);

	private static final boolean springTestPresent = ClassUtils.isPresent(
			"org.springframework.test.context.junit.jupiter.SpringExtension", DbChaosExtension.class.getClassLoader());

	@Override
	public void beforeEach(ExtensionContext context) {
		String scope = scopeFor(context);
		DbChaosClient client = client(context).forScope(scope)
			.withReportListener((report) -> writeReportPage(context, report));
		ExtensionContext.Store store = context.getStore(NAMESPACE);
		store.put(DbChaosClient.class, client);
		store.put(DbChaosScope.Binding.class, DbChaosScope.propagate(scope));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		ExtensionContext.Store store = context.getStore(NAMESPACE);
		DbChaosScope.Binding binding = store.remove(DbChaosScope.Binding.class, DbChaosScope.Binding.class);
		DbChaosClient client = store.remove(DbChaosClient.class, DbChaosClient.class);
		try {
			if (client != null) {
				// Wait first: background work of this test may still be using the faults.
				client.awaitQuiescence(client.getScope(), quiescenceTimeout(context));
			}
		}
		finally {
			try {
				if (client != null) {
					client.clear();
				}
			}
			finally {
				if (binding != null) {
					binding.close();
				}
			}
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == DbChaosClient.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		DbChaosClient client = extensionContext.getStore(NAMESPACE).get(DbChaosClient.class, DbChaosClient.class);
		if (client == null) {
			throw new ExtensionConfigurationException(
					"A DbChaosClient is only available to test methods of a @DbChaosTest class, not to its lifecycle "
							+ "methods outside @BeforeEach/@AfterEach");
		}
		return client;
	}

	private static void writeReportPage(ExtensionContext context, ExperimentReport report) {
		Path file = ExperimentReportPage.fileFor(Path.of(settings(context).reportDirectory()),
				context.getRequiredTestClass(), context.getRequiredTestMethod().getName(), report.id());
		try {
			ExperimentReportPage.write(report, file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the report of experiment " + report.id() + " to " + file,
					ex);
		}
	}

	private static String scopeFor(ExtensionContext context) {
		String method = context.getRequiredTestMethod().getName().replaceAll("[^A-Za-z0-9_-]", "");
		String name = (method.length() > 40) ? method.substring(0, 40) : method;
		return "t-" + UUID.randomUUID().toString().substring(0, 8) + "-" + name;
	}

	private static DbChaosClient client(ExtensionContext context) {
		DbChaosTest settings = settings(context);
		DbChaosClient client = DbChaosClient.create(URI.create(endpoint(context, settings)));
		return settings.username().isEmpty() ? client : client.withBasicAuth(settings.username(), settings.password());
	}

	private static String endpoint(ExtensionContext context, DbChaosTest settings) {
		if (!settings.endpoint().isEmpty()) {
			return settings.endpoint();
		}
		if (springTestPresent) {
			Environment environment = SpringExtension.getApplicationContext(context).getEnvironment();
			Integer port = environment.getProperty("local.management.port", Integer.class);
			if (port == null || port <= 0) {
				port = environment.getProperty("local.server.port", Integer.class);
			}
			if (port != null && port > 0) {
				String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
				String path = environment.getProperty("management.endpoints.web.path-mapping.dbchaos", "dbchaos");
				return "http://localhost:" + port + basePath + "/" + path;
			}
		}
		throw new ExtensionConfigurationException("Cannot tell where the dbchaos endpoint is: set @DbChaosTest(endpoint"
				+ " = \"http://host:port/actuator/dbchaos\") or use @SpringBootTest(webEnvironment = RANDOM_PORT)");
	}

	private static Duration quiescenceTimeout(ExtensionContext context) {
		return DurationStyle.detectAndParse(settings(context).quiescenceTimeout());
	}

	private static DbChaosTest settings(ExtensionContext context) {
		DbChaosTest settings = AnnotatedElementUtils.findMergedAnnotation(context.getRequiredTestClass(),
				DbChaosTest.class);
		if (settings == null) {
			throw new ExtensionConfigurationException("DbChaosExtension needs @DbChaosTest on the test class");
		}
		return settings;
	}

}
