package dev.dbchaos.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import dev.dbchaos.testdatabases.ManagedPostgres;

/**
 * The benchmark jar's entry point: JMH's command line, plus one local PostgreSQL started
 * for the whole run and handed to every fork, so that all variants query the same warm
 * server.
 */
public final class BenchmarkMain {

	// Options that only list or explain things: no benchmark runs, so no server is
	// needed.
	private static final Set<String> LISTING_OPTIONS = Set.of("-h", "-l", "-lp", "-lrf", "-lprof");

	private BenchmarkMain() {
	}

	/**
	 * Run JMH with the given command line.
	 * @param args the command-line options for JMH, as for {@code org.openjdk.jmh.Main}
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		if (Arrays.stream(args).anyMatch(LISTING_OPTIONS::contains)) {
			org.openjdk.jmh.Main.main(args);
			return;
		}
		CommandLineOptions commandLine = new CommandLineOptions(args);
		boolean postgres = needsPostgres(commandLine);
		try (ManagedPostgres server = postgres ? PostgresServer.startUnlessConfigured() : null) {
			List<String> jvmArgs = new ArrayList<>(commandLine.getJvmArgsAppend().orElse(List.of()));
			if (postgres) {
				jvmArgs.add("-D" + PostgresServer.URL_PROPERTY + "=" + PostgresServer.url());
				jvmArgs.add("-D" + PostgresServer.USER_PROPERTY + "=" + PostgresServer.user());
				jvmArgs.add("-D" + PostgresServer.PASSWORD_PROPERTY + "=" + PostgresServer.password());
			}
			Options options = new OptionsBuilder().parent(commandLine)
				.jvmArgsAppend(jvmArgs.toArray(String[]::new))
				.build();
			new Runner(options).run();
		}
	}

	private static boolean needsPostgres(CommandLineOptions commandLine) {
		List<String> includes = commandLine.getIncludes();
		if (includes.isEmpty()) {
			return true;
		}
		String benchmark = PostgresBenchmarks.class.getName();
		return includes.stream()
			.anyMatch((include) -> java.util.regex.Pattern.compile(include).matcher(benchmark + ".x").find());
	}

}
