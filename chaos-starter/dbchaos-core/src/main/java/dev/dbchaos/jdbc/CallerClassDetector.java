package dev.dbchaos.jdbc;

/**
 * A {@link PoolCallDetector} that looks for one class among the innermost frames of the
 * calling thread's stack.
 */
final class CallerClassDetector implements PoolCallDetector {

	private static final StackWalker walker = StackWalker.getInstance();

	// The pool's frame sits a few frames above the driver call: dbchaos's own wrapper,
	// then the
	// pool's method. Deeper frames are the application's.
	private static final int MAX_DEPTH = 16;

	private final String className;

	CallerClassDetector(String className) {
		this.className = className;
	}

	@Override
	public boolean isPoolCall() {
		return walker
			.walk((frames) -> frames.limit(MAX_DEPTH).anyMatch((frame) -> frame.getClassName().equals(this.className)));
	}

	@Override
	public String toString() {
		return "calls from " + this.className;
	}

}
