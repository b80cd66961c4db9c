package dev.dbchaos.actuate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Takes the body of a {@code POST} to the {@code dbchaos} endpoint before Spring MVC
 * reads it, so that {@link DbChaosEndpointWebExtension} can check it itself: an actuator
 * operation only sees the body as named arguments, after the web framework has parsed it
 * into a map of strings, so unknown fields would be dropped silently, JSON types lost,
 * duplicate keys merged, and a body that is not a JSON object answered with the
 * framework's generic 400 before dbchaos is asked.
 * <p>
 * The body (at most {@value #MAX_BODY_SIZE} bytes are kept) is left in a request
 * attribute, and the request goes on with an empty body. Its headers are left alone, so
 * the endpoint's {@code Content-Type} check still applies (a browser cannot send JSON
 * cross-site without a CORS preflight), and this filter runs after Spring Security's, so
 * that an unauthenticated request is turned away before its body is read.
 *
 * @since 0.1.0
 */
public class DbChaosEndpointBodyFilter extends OncePerRequestFilter {

	/**
	 * The most bytes of a body that are read; no fault needs more than a few hundred.
	 */
	public static final int MAX_BODY_SIZE = 64 * 1024;

	// A constant, so that reading it does not load this class (and the Servlet API)
	// elsewhere.
	static final String BODY_ATTRIBUTE = "dev.dbchaos.actuate.DbChaosEndpointBodyFilter.body";

	/**
	 * How much of an oversized body is read and thrown away so that the client, still
	 * sending, gets the 400 rather than a reset connection. Beyond this the connection
	 * may be closed.
	 */
	private static final long MAX_DISCARDED = 64L * 1024 * 1024;

	private final Supplier<@Nullable String> endpointPath;

	/**
	 * Create a filter for the endpoint at the given path.
	 * @param endpointPath supplies the endpoint's path below the servlet's mapping, such
	 * as {@code /actuator/dbchaos}, or {@code null} when it is not exposed over HTTP
	 */
	public DbChaosEndpointBodyFilter(Supplier<@Nullable String> endpointPath) {
		this.endpointPath = endpointPath;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod())) {
			return true;
		}
		String path = this.endpointPath.get();
		String within = pathWithinServlet(request);
		return path == null || !(path.equals(within) || (path + "/" + ExperimentOperations.COLLECTION).equals(within));
	}

	private static String pathWithinServlet(HttpServletRequest request) {
		// Mapped to "/" (Spring Boot's default), the servlet path is the whole path;
		// mapped to
		// "/prefix/*", what follows the prefix is the path info.
		return (request.getPathInfo() != null) ? request.getPathInfo() : request.getServletPath();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		request.setAttribute(BODY_ATTRIBUTE, CapturedBody.read(request.getInputStream()));
		chain.doFilter(new WithoutBody(request), response);
	}

	/**
	 * The body of a request, as posted.
	 *
	 * @param bytes the body, or its first {@value #MAX_BODY_SIZE} bytes if it was larger
	 * @param tooLarge whether it was larger
	 */
	record CapturedBody(byte[] bytes, boolean tooLarge) {

		static CapturedBody read(InputStream input) throws IOException {
			byte[] bytes = input.readNBytes(MAX_BODY_SIZE + 1);
			if (bytes.length <= MAX_BODY_SIZE) {
				return new CapturedBody(bytes, false);
			}
			long discarded = 0;
			byte[] buffer = new byte[8192];
			int read;
			while (discarded < MAX_DISCARDED && (read = input.read(buffer)) != -1) {
				discarded += read;
			}
			return new CapturedBody(new byte[0], true);
		}

	}

	/**
	 * The request as the rest of the chain sees it: without a body.
	 */
	private static final class WithoutBody extends HttpServletRequestWrapper {

		WithoutBody(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() {
			return new EmptyInputStream();
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new StringReader(""));
		}

	}

	private static final class EmptyInputStream extends ServletInputStream {

		@Override
		public int read() {
			return -1;
		}

		@Override
		public boolean isFinished() {
			return true;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			try {
				listener.onAllDataRead();
			}
			catch (IOException ex) {
				listener.onError(ex);
			}
		}

	}

}
