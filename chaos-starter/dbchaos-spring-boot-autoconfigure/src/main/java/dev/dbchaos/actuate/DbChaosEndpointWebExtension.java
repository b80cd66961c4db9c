package dev.dbchaos.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.dbchaos.actuate.DbChaosAuditEvent.Action;
import dev.dbchaos.fault.InvalidFaultException;

import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.lang.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link DbChaosEndpoint}: HTTP
 * status codes (201 for a new rule, 400 naming the field and the reason for bad input, 404 for an
 * unknown id) and an audit trail: every change is logged at WARN with the authenticated
 * principal and the remote address, and published as a {@link DbChaosAuditEvent} and as a
 * Spring Boot {@link AuditApplicationEvent} (types {@code DBCHAOS_FAULT_ADDED},
 * {@code DBCHAOS_FAULT_REMOVED}, {@code DBCHAOS_FAULTS_CLEARED}).
 *
 * @author dbchaos
 */
@EndpointWebExtension(endpoint = DbChaosEndpoint.class)
public class DbChaosEndpointWebExtension {

	private static final Log logger = LogFactory.getLog("dev.dbchaos");

	private static final int STATUS_CREATED = 201;

	private static final boolean servletPresent = ClassUtils.isPresent(
			"org.springframework.web.context.request.ServletRequestAttributes",
			DbChaosEndpointWebExtension.class.getClassLoader());

	private final DbChaosEndpoint delegate;

	private final ApplicationEventPublisher events;

	/**
	 * Create an extension.
	 * @param delegate the endpoint
	 * @param events where to publish audit events
	 */
	public DbChaosEndpointWebExtension(DbChaosEndpoint delegate, ApplicationEventPublisher events) {
		this.delegate = delegate;
		this.events = events;
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
			audit(Action.ADDED, List.of(added), securityContext);
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
		audit(Action.REMOVED, List.of(removed), securityContext);
		return new WebEndpointResponse<>(removed, WebEndpointResponse.STATUS_OK);
	}

	@DeleteOperation
	public WebEndpointResponse<Object> clear(@Nullable String scope, SecurityContext securityContext) {
		List<FaultDescriptor> removed = this.delegate.clear(scope);
		audit(Action.CLEARED, removed, securityContext);
		return new WebEndpointResponse<>(removed, WebEndpointResponse.STATUS_OK);
	}

	private void audit(Action action, List<FaultDescriptor> faults, SecurityContext securityContext) {
		String principal = (securityContext != null && securityContext.getPrincipal() != null)
				? securityContext.getPrincipal().getName() : "anonymous";
		String remoteAddress = remoteAddress();
		logger.warn("dbchaos " + action.name().toLowerCase(Locale.ROOT) + " " + faults.stream().map(FaultDescriptor::id).toList()
				+ " by " + principal + " from " + remoteAddress);
		this.events.publishEvent(new DbChaosAuditEvent(this.delegate, action, faults, principal, remoteAddress));
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("faults", faults.stream().map(FaultDescriptor::id).toList());
		data.put("remoteAddress", remoteAddress);
		this.events.publishEvent(new AuditApplicationEvent(principal, auditType(action), data));
	}

	private static String auditType(Action action) {
		return switch (action) {
			case ADDED -> "DBCHAOS_FAULT_ADDED";
			case REMOVED -> "DBCHAOS_FAULT_REMOVED";
			case CLEARED -> "DBCHAOS_FAULTS_CLEARED";
		};
	}

	private static String remoteAddress() {
		if (!servletPresent) {
			return null;
		}
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest().getRemoteAddr() : null;
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

}
