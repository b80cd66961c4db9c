package dev.dbchaos.benchmarks;

/**
 * Configures p6spy the way it runs in production with logging off: only its spy module,
 * which still wraps every connection, statement and result set, and no JMX registration.
 */
final class P6Spy {

	private P6Spy() {
	}

	/**
	 * Set p6spy's configuration before its classes first read it. System properties
	 * override any {@code spy.properties} on the class path.
	 */
	static void configureWithoutLogging() {
		System.setProperty("p6spy.config.modulelist", "com.p6spy.engine.spy.P6SpyFactory");
		System.setProperty("p6spy.config.jmx", "false");
	}

}
