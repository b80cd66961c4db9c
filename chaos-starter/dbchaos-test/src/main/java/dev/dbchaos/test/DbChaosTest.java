package dev.dbchaos.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test method of the annotated class in a scope of its own against a service
 * running dbchaos. For each test the extension:
 * <ul>
 * <li>creates a scope id and binds the test thread to it (as a client, see
 * {@link dev.dbchaos.DbChaosScope#propagate(String)}), so the test's HTTP calls through
 * Spring's {@code RestTemplate}, {@code RestClient} and {@code WebClient} (including
 * {@code TestRestTemplate}) carry the scope header;</li>
 * <li>injects a {@link dev.dbchaos.client.DbChaosClient} bound to that scope as a test
 * method parameter;</li>
 * <li>writes the report of each experiment the test runs with that client as a page under
 * {@link #reportDirectory()};</li>
 * <li>after the test, waits until everything the test's requests started has finished,
 * then removes the scope's faults.</li>
 * </ul>
 * In a {@code @SpringBootTest} with a web environment the endpoint is found by itself;
 * otherwise give {@link #endpoint()}.
 * <p>
 * Injecting and removing faults are writes, which the endpoint refuses (403) from callers
 * that are not authenticated: give {@link #username()} and {@link #password()}, or, for
 * an application under test without Spring Security, set
 * {@code dbchaos.endpoint.allow-anonymous-writes=true} in it. The clean-up after each
 * test is logged by the service at INFO, and only when it removed a fault.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DbChaosExtension.class)
public @interface DbChaosTest {

	/**
	 * URL of the dbchaos endpoint. Empty to find it from the Spring test context
	 * ({@code local.management.port} or {@code local.server.port}).
	 * @return the endpoint URL
	 */
	String endpoint() default "";

	/**
	 * User for HTTP Basic authentication against the endpoint. Empty for none.
	 * @return the user
	 */
	String username() default "";

	/**
	 * Password for HTTP Basic authentication against the endpoint.
	 * @return the password
	 */
	String password() default "";

	/**
	 * How long to wait after each test for the scope's work to finish, such as
	 * {@code 10s}.
	 * @return the timeout
	 */
	String quiescenceTimeout() default "10s";

	/**
	 * Where the final report of each experiment a test
	 * {@link dev.dbchaos.client.DbChaosClient#run runs} is written as a page
	 * ({@link ExperimentReportPage}):
	 * {@code <directory>/<test class>/<test method>-<experiment id>.html}, see
	 * {@link ExperimentReportPage#fileFor}. Relative to the working directory, which for
	 * Maven's test plugins is the module's.
	 * @return the directory
	 */
	String reportDirectory() default ExperimentReportPage.DEFAULT_DIRECTORY;

}
