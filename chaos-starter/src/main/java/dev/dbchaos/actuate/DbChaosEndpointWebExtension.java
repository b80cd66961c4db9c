package dev.dbchaos.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.dbchaos.fault.InvalidFaultException;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.lang.Nullable;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link DbChaosEndpoint}: HTTP
 * status codes (201 for a new rule, 400 naming the field and the reason for bad input, 404 for an
 * unknown id) and the name of whoever changed the rules in the log.
 *
 * @author dbchaos
 */
@EndpointWebExtension(endpoint = DbChaosEndpoint.class)
public class DbChaosEndpointWebExtension {

	private static final Log logger = LogFactory.getLog("dev.dbchaos");

	private static final int STATUS_CREATED = 201;

	private final DbChaosEndpoint delegate;

	/**
	 * Create an extension.
	 * @param delegate the endpoint
	 */
	public DbChaosEndpointWebExtension(DbChaosEndpoint delegate) {
		this.delegate = delegate;
	}

	@WriteOperation
	public WebEndpointResponse<Object> add(@Nullable String type, @Nullable String operation, @Nullable String sql,
			@Nullable String dataSource, @Nullable String probability, @Nullable String count,
			@Nullable String duration, @Nullable String scope, @Nullable String id, @Nullable String delay,
			@Nullable String jitter, @Nullable String sqlState, @Nullable String message,
			SecurityContext securityContext) {
		FaultRequest request = new FaultRequest(type, operation, sql, dataSource, probability, count, duration, scope,
				id, delay, jitter, sqlState, message);
		try {
			FaultDescriptor added = this.delegate.add(request);
			logger.warn("dbchaos fault " + added.id() + " added by " + principal(securityContext));
			return new WebEndpointResponse<>(added, STATUS_CREATED);
		}
		catch (InvalidFaultException ex) {
			return badRequest(ex);
		}
	}

	@DeleteOperation
	public WebEndpointResponse<Object> remove(@Selector String id, SecurityContext securityContext) {
		FaultDescriptor removed = this.delegate.remove(id);
		if (removed == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		logger.warn("dbchaos fault " + id + " removed by " + principal(securityContext));
		return new WebEndpointResponse<>(removed, WebEndpointResponse.STATUS_OK);
	}

	@DeleteOperation
	public WebEndpointResponse<Object> clear(SecurityContext securityContext) {
		Object removed = this.delegate.clear();
		logger.warn("dbchaos faults cleared by " + principal(securityContext));
		return new WebEndpointResponse<>(removed, WebEndpointResponse.STATUS_OK);
	}

	private static WebEndpointResponse<Object> badRequest(InvalidFaultException ex) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", WebEndpointResponse.STATUS_BAD_REQUEST);
		body.put("error", "Bad Request");
		body.put("field", ex.getField());
		body.put("reason", ex.getReason());
		body.put("message", ex.getMessage());
		return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	private static String principal(SecurityContext securityContext) {
		return (securityContext != null && securityContext.getPrincipal() != null)
				? securityContext.getPrincipal().getName() : "anonymous";
	}

}
