package dev.dbchaos.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

import dev.dbchaos.actuate.DbChaosAuditEvent.Action;
import dev.dbchaos.actuate.DbChaosEndpointBodyFilter.CapturedBody;
import dev.dbchaos.actuate.FleetFaults.Caller;
import dev.dbchaos.actuate.FleetFaults.FleetUnavailableException;
import dev.dbchaos.experiment.ExperimentReport;
import dev.dbchaos.fault.FaultField;
import dev.dbchaos.fault.InvalidFaultException;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link DbChaosEndpoint}:
 * HTTP status codes (201 for a new rule, 400 naming the field and the reason for bad
 * input, 403 for a write by a caller that is not authenticated, 404 for an unknown id)
 * and an audit trail: every change is logged with the authenticated principal and the
 * remote address, and published as a {@link DbChaosAuditEvent} and as a Spring Boot
 * {@link AuditApplicationEvent} (types {@code DBCHAOS_FAULT_ADDED},
 * {@code DBCHAOS_FAULT_REMOVED}, {@code DBCHAOS_FAULTS_CLEARED}).
 * <p>
 * On a servlet stack the body of a {@code POST} reaches this extension as sent (see
 * {@link DbChaosEndpointBodyFilter}) and is checked here: it must be one JSON object
 * whose members are fields of a fault, each of the JSON type the field takes (see
 * {@link FaultRequest}). Without that filter (a reactive application) the extension gets
 * the fields Spring Boot bound from the body, as text, and unknown fields cannot be seen.
 *
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = DbChaosEndpoint.class)
public class DbChaosEndpointWebExtension {

	// Spring's @Nullable throughout, not JSpecify's: Spring Boot 3.5 tells an operation's
	// optional parameters by it alone (Spring Boot 4 reads either).

	/**
	 * The setting that allows callers that are not authenticated to add and remove
	 * faults.
	 */
	public static final String ALLOW_ANONYMOUS_WRITES = "dbchaos.endpoint.allow-anonymous-writes=true";

	private static final Log logger = LogFactory.getLog("dev.dbchaos");

	private static final int STATUS_CREATED = 201;

	private static final int STATUS_FORBIDDEN = 403;

	private static final int STATUS_UNAVAILABLE = 503;

	private static final boolean servletPresent = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
			DbChaosEndpointWebExtension.class.getClassLoader())
			&& ClassUtils.isPresent("org.springframework.web.context.request.ServletRequestAttributes",
					DbChaosEndpointWebExtension.class.getClassLoader());

	private final DbChaosEndpoint delegate;

	private final ApplicationEventPublisher events;

	private final boolean allowAnonymousWrites;

	/**
	 * Create an extension that refuses writes by callers that are not authenticated.
	 * @param delegate the endpoint
	 * @param events where to publish audit events
	 */
	public DbChaosEndpointWebExtension(DbChaosEndpoint delegate, ApplicationEventPublisher events) {
		this(delegate, events, false);
	}

	/**
	 * Create an extension.
	 * @param delegate the endpoint
	 * @param events where to publish audit events
	 * @param allowAnonymousWrites whether callers that are not authenticated may add and
	 * remove faults
	 */
	public DbChaosEndpointWebExtension(DbChaosEndpoint delegate, ApplicationEventPublisher events,
			boolean allowAnonymousWrites) {
		this.delegate = delegate;
		this.events = events;
		this.allowAnonymousWrites = allowAnonymousWrites;
	}

	/**
	 * Add a rule: from the body as posted when {@link DbChaosEndpointBodyFilter} took it,
	 * otherwise from the fields as Spring Boot bound them, one parameter for each field
	 * of a fault, named and ordered as {@link FaultField#all()}, as on
	 * {@link DbChaosEndpoint}.
	 * @param type see {@link FaultField#TYPE}
	 * @param operation see {@link FaultField#OPERATION}
	 * @param sql see {@link FaultField#SQL}
	 * @param dataSource see {@link FaultField#DATA_SOURCE}
	 * @param probability see {@link FaultField#PROBABILITY}
	 * @param count see {@link FaultField#COUNT}
	 * @param duration see {@link FaultField#DURATION}
	 * @param scope see {@link FaultField#SCOPE}
	 * @param id see {@link FaultField#ID}
	 * @param delay see {@link FaultField#DELAY}
	 * @param jitter see {@link FaultField#JITTER}
	 * @param sqlState see {@link FaultField#SQL_STATE}
	 * @param vendorCode see {@link FaultField#VENDOR_CODE}
	 * @param message see {@link FaultField#MESSAGE}
	 * @param afterRows see {@link FaultField#AFTER_ROWS}
	 * @param table see {@link FaultField#TABLE}
	 * @param mode see {@link FaultField#MODE}
	 * @param connections see {@link FaultField#CONNECTIONS}
	 * @param securityContext who is asking
	 * @return 201 with the new rule, 400 naming the offending field, or 403
	 */
	@WriteOperation
	public WebEndpointResponse<Object> add(@Nullable String type, @Nullable String operation, @Nullable String sql,
			@Nullable String dataSource, @Nullable String probability, @Nullable String count,
			@Nullable String duration, @Nullable String scope, @Nullable String id, @Nullable String delay,
			@Nullable String jitter, @Nullable String sqlState, @Nullable String vendorCode, @Nullable String message,
			@Nullable String afterRows, @Nullable String table, @Nullable String mode, @Nullable String connections,
			SecurityContext securityContext) {
		WebEndpointResponse<Object> refused = refuseAnonymous(securityContext, "add");
		if (refused != null) {
			return refused;
		}
		try {
			Posted posted = Servlet
				.request(() -> FaultRequest.of(type, operation, sql, dataSource, probability, count, duration, scope,
						id, delay, jitter, sqlState, vendorCode, message, afterRows, table, mode, connections));
			if (posted.instances() != null) {
				// The fleet audits on every instance, this one included, once it applied
				// it.
				return new WebEndpointResponse<>(
						this.delegate.fleet().add(posted.request(), posted.instances(), caller(securityContext)),
						STATUS_CREATED);
			}
			FaultDescriptor added = this.delegate.add(posted.request());
			audit(Action.ADDED, List.of(added), null, securityContext);
			return new WebEndpointResponse<>(added, STATUS_CREATED);
		}
		catch (InvalidFaultException ex) {
			return badRequest(ex);
		}
		catch (FleetUnavailableException ex) {
			return unavailable(ex);
		}
	}

	@DeleteOperation
	public WebEndpointResponse<Object> remove(@Selector String id, SecurityContext securityContext) {
		WebEndpointResponse<Object> refused = refuseAnonymous(securityContext, "remove");
		if (refused != null) {
			return refused;
		}
		try {
			Servlet.checkParameters(Set.of());
		}
		catch (InvalidFaultException ex) {
			return badRequest(ex);
		}
		try {
			Optional<FaultDescriptor> fleetFault = this.delegate.fleet().remove(id, caller(securityContext));
			if (fleetFault.isPresent()) {
				return new WebEndpointResponse<>(fleetFault.get(), WebEndpointResponse.STATUS_OK);
			}
		}
		catch (FleetUnavailableException ex) {
			return unavailable(ex);
		}
		FaultDescriptor removed = this.delegate.remove(id);
		if (removed == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		audit(Action.REMOVED, List.of(removed), null, securityContext);
		return new WebEndpointResponse<>(removed, WebEndpointResponse.STATUS_OK);
	}

	@DeleteOperation
	public WebEndpointResponse<Object> clear(@Nullable String scope, @Nullable String instances,
			SecurityContext securityContext) {
		WebEndpointResponse<Object> refused = refuseAnonymous(securityContext, "remove");
		if (refused != null) {
			return refused;
		}
		try {
			// A misspelt "?scope=" would otherwise clear every scope's faults.
			Servlet.checkParameters(Set.of("scope", FleetFaults.INSTANCES));
			if (instances != null) {
				if (scope != null) {
					throw new InvalidFaultException(FleetFaults.INSTANCES,
							"clears every fault of every instance, so it does not go with scope");
				}
				return new WebEndpointResponse<>(this.delegate.fleet().clear(instances, caller(securityContext)),
						WebEndpointResponse.STATUS_OK);
			}
		}
		catch (InvalidFaultException ex) {
			return badRequest(ex);
		}
		catch (FleetUnavailableException ex) {
			return unavailable(ex);
		}
		List<FaultDescriptor> removed = this.delegate.clear(scope);
		audit(Action.CLEARED, removed, scope, securityContext);
		return new WebEndpointResponse<>(removed, WebEndpointResponse.STATUS_OK);
	}

	/**
	 * Start a game-day experiment, at {@code POST /dbchaos/experiments}, from the body as
	 * posted (see {@link ExperimentRequest}).
	 * @param collection must be {@code experiments}
	 * @param securityContext who is asking
	 * @return 201 with the experiment, 400 naming the offending field, 403, or 404 for
	 * another collection
	 */
	@WriteOperation
	public WebEndpointResponse<Object> startExperiment(@Selector String collection, SecurityContext securityContext) {
		ExperimentOperations experiments = this.delegate.getExperiments();
		if (experiments == null || !ExperimentOperations.COLLECTION.equals(collection)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		WebEndpointResponse<Object> refused = refuseAnonymous(securityContext, "start experiments with");
		if (refused != null) {
			return refused;
		}
		try {
			String principal = principal(securityContext);
			ExperimentReport report = experiments.start(Servlet.body(), (principal != null) ? principal : "anonymous");
			auditExperiment("DBCHAOS_EXPERIMENT_STARTED", report, securityContext);
			return new WebEndpointResponse<>(report, STATUS_CREATED);
		}
		catch (InvalidFaultException ex) {
			return badRequest(ex);
		}
	}

	/**
	 * Abort a game-day experiment, at {@code DELETE /dbchaos/experiments/{id}}, removing
	 * its faults; {@code abortedBy} names the caller.
	 * @param collection must be {@code experiments}
	 * @param id the experiment's id
	 * @param securityContext who is asking
	 * @return 200 with its report, 403, or 404
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> abortExperiment(@Selector String collection, @Selector String id,
			SecurityContext securityContext) {
		ExperimentOperations experiments = this.delegate.getExperiments();
		if (experiments == null || !ExperimentOperations.COLLECTION.equals(collection)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		WebEndpointResponse<Object> refused = refuseAnonymous(securityContext, "abort experiments with");
		if (refused != null) {
			return refused;
		}
		String principal = principal(securityContext);
		ExperimentReport report = experiments.abort(id, (principal != null) ? principal : "anonymous").orElse(null);
		if (report == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		auditExperiment("DBCHAOS_EXPERIMENT_ABORTED", report, securityContext);
		return new WebEndpointResponse<>(report, WebEndpointResponse.STATUS_OK);
	}

	private void auditExperiment(String type, ExperimentReport report, SecurityContext securityContext) {
		String principal = principal(securityContext);
		principal = (principal != null) ? principal : "anonymous";
		String remoteAddress = Servlet.remoteAddress();
		logger.warn("dbchaos experiment " + report.id() + " (" + report.name() + ") "
				+ (type.endsWith("STARTED") ? "started, " + report.state() : "aborted") + " by " + principal + " from "
				+ remoteAddress);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("experiment", report.id());
		data.put("name", report.name());
		data.put("remoteAddress", String.valueOf(remoteAddress));
		this.events.publishEvent(new AuditApplicationEvent(principal, type, data));
	}

	private @Nullable WebEndpointResponse<Object> refuseAnonymous(SecurityContext securityContext, String what) {
		if (this.allowAnonymousWrites || principal(securityContext) != null) {
			return null;
		}
		String reason = "callers that are not authenticated may not " + what
				+ " faults; authenticate (protect the endpoint with Spring Security), or set " + ALLOW_ANONYMOUS_WRITES
				+ " to allow anonymous writes";
		logger.info("dbchaos refused to let an anonymous caller from " + Servlet.remoteAddress() + " " + what
				+ " faults (" + ALLOW_ANONYMOUS_WRITES + " allows it)");
		return error(STATUS_FORBIDDEN, "Forbidden", null, reason);
	}

	private static Caller caller(SecurityContext securityContext) {
		String principal = principal(securityContext);
		return new Caller((principal != null) ? principal : "anonymous", Servlet.remoteAddress());
	}

	private static @Nullable String principal(@Nullable SecurityContext securityContext) {
		return (securityContext != null && securityContext.getPrincipal() != null)
				? securityContext.getPrincipal().getName() : null;
	}

	private void audit(Action action, List<FaultDescriptor> faults, @Nullable String scope,
			SecurityContext securityContext) {
		String principal = principal(securityContext);
		if (principal == null) {
			principal = "anonymous";
		}
		String remoteAddress = Servlet.remoteAddress();
		log(action, faults, scope, principal, remoteAddress);
		DbChaosAuditEvent event = new DbChaosAuditEvent(this.delegate, action, faults, principal, remoteAddress);
		this.events.publishEvent(event);
		this.events.publishEvent(event.toAuditApplicationEvent());
	}

	private static void log(Action action, List<FaultDescriptor> faults, @Nullable String scope, String principal,
			@Nullable String remoteAddress) {
		if (faults.isEmpty()) {
			// A clear that found nothing changed nothing: @DbChaosTest clears after every
			// test.
			return;
		}
		String message = "dbchaos " + action.name().toLowerCase(Locale.ROOT) + " "
				+ faults.stream().map(FaultDescriptor::id).toList() + ((scope != null) ? " of scope " + scope : "")
				+ " by " + principal + " from " + remoteAddress;
		if (scope != null) {
			// Clearing one scope's faults is a test cleaning up after itself, and affects
			// only
			// the requests of that scope: routine, not a warning.
			logger.info(message);
		}
		else {
			logger.warn(message);
		}
	}

	private static WebEndpointResponse<Object> badRequest(InvalidFaultException ex) {
		return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", ex.getField(), ex.getReason());
	}

	private static WebEndpointResponse<Object> unavailable(FleetUnavailableException ex) {
		logger.warn("dbchaos changed nothing: " + ex.getMessage());
		return error(STATUS_UNAVAILABLE, "Service Unavailable", null, ex.getMessage());
	}

	private static WebEndpointResponse<Object> error(int status, String error, @Nullable String field, String reason) {
		String message = (field != null) ? field + ": " + reason : reason;
		return new WebEndpointResponse<>(new ErrorDescriptor(status, error, field, reason, message), status);
	}

	/**
	 * What the endpoint answers when it refuses a request.
	 *
	 * @param status the HTTP status
	 * @param error the HTTP status's reason phrase
	 * @param field the offending field, {@code body} when the body as a whole is wrong,
	 * or {@code null} when the refusal is not about the input
	 * @param reason what is wrong
	 * @param message the field and the reason in one line
	 */
	// Every key is always there, null or not, whatever the application's Jackson
	// settings.
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record ErrorDescriptor(int status, String error, @Nullable String field, String reason, String message) {

	}

	/**
	 * A posted fault and the instances it is for.
	 *
	 * @param request the fault's fields
	 * @param instances {@code instances} as posted, or {@code null} for this instance
	 */
	private record Posted(FaultRequest request, @Nullable String instances) {

	}

	/**
	 * What only a servlet request can tell: the remote address, the body as sent and the
	 * query parameters. Kept apart so that the extension loads without the Servlet API.
	 */
	private static final class Servlet {

		private Servlet() {
		}

		static @Nullable String remoteAddress() {
			HttpServletRequest request = current();
			return (request != null) ? request.getRemoteAddr() : null;
		}

		/**
		 * Return the fault the current request's body asks for, or, when the body was not
		 * taken by {@link DbChaosEndpointBodyFilter}, the one Spring Boot bound from it.
		 * @param bound the fault Spring Boot bound from the request, used when the body
		 * was not taken
		 * @return the fault the request asks for
		 */
		static Posted request(Supplier<FaultRequest> bound) {
			HttpServletRequest request = current();
			Object captured = (request != null) ? request.getAttribute(DbChaosEndpointBodyFilter.BODY_ATTRIBUTE) : null;
			if (!(captured instanceof CapturedBody body)) {
				return new Posted(bound.get(), null);
			}
			if (body.tooLarge()) {
				throw new InvalidFaultException("body", "is larger than " + DbChaosEndpointBodyFilter.MAX_BODY_SIZE
						+ " bytes, far more than any fault needs");
			}
			// The body was taken away from Spring Boot: anything it bound came from the
			// query
			// string, where fields are not documented and would only add a second way to
			// post.
			checkParameters(Set.of());
			Map<String, Object> members = new LinkedHashMap<>(JsonBody.parseObject(body.bytes()));
			String instances = FleetFaults.takeInstances(members, "");
			return new Posted(FaultRequest.fromJson(members), instances);
		}

		/**
		 * Return the current request's body as {@link DbChaosEndpointBodyFilter} took it.
		 * @return the body
		 * @throws InvalidFaultException naming {@code body} when it was not taken or was
		 * too large
		 */
		static byte[] body() {
			HttpServletRequest request = current();
			Object captured = (request != null) ? request.getAttribute(DbChaosEndpointBodyFilter.BODY_ATTRIBUTE) : null;
			if (!(captured instanceof CapturedBody body)) {
				throw new InvalidFaultException("body", "experiments are posted over HTTP on a servlet stack only");
			}
			if (body.tooLarge()) {
				throw new InvalidFaultException("body",
						"is larger than " + DbChaosEndpointBodyFilter.MAX_BODY_SIZE + " bytes");
			}
			checkParameters(Set.of());
			return body.bytes();
		}

		/**
		 * Refuse query parameters other than the given ones.
		 * @param allowed the names of the query parameters the operation takes
		 */
		static void checkParameters(Set<String> allowed) {
			HttpServletRequest request = current();
			if (request == null) {
				return;
			}
			for (String name : request.getParameterMap().keySet()) {
				if (!allowed.contains(name)) {
					if (allowed.isEmpty()) {
						String hint = FaultField.named(name).isPresent() ? " (send fields in the JSON body)" : "";
						throw new InvalidFaultException(FaultRequest.abbreviate(name),
								"unknown query parameter; this operation takes none" + hint);
					}
					throw FaultRequest.unknownName(name, List.copyOf(allowed), "unknown query parameter");
				}
			}
		}

		private static @Nullable HttpServletRequest current() {
			if (!servletPresent) {
				return null;
			}
			RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
			return (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest() : null;
		}

	}

}
