package dev.dbchaos.demo.web;

import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.dbchaos.demo.catalogue.SneakerNotFoundException;
import dev.dbchaos.demo.database.DatabaseFailures;
import dev.dbchaos.demo.database.DatabaseUnavailableException;
import dev.dbchaos.demo.order.IdempotencyKeyReusedException;
import dev.dbchaos.demo.order.NotReleasedException;
import dev.dbchaos.demo.order.OrderNotFoundException;
import dev.dbchaos.demo.order.SoldOutException;
import dev.dbchaos.demo.order.UnknownProductException;

/**
 * Turns every failure into an RFC 9457 problem ({@code application/problem+json}) whose
 * title says what went wrong: 400 for bad input, 404, 409 when the shop says no, 422 for
 * a reused idempotency key, 503 with {@code Retry-After} when the database is away. Never
 * a stack trace.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Log logger = LogFactory.getLog(ApiExceptionHandler.class);

	/**
	 * Seconds a client should wait before retrying: about the circuit breaker's open
	 * state.
	 */
	private static final String RETRY_AFTER_SECONDS = "5";

	@ExceptionHandler
	ResponseEntity<ProblemDetail> databaseUnavailable(DatabaseUnavailableException ex) {
		// One line per refused request, naming what the database (or the pool) answered:
		// the
		// client sees only that it is away, the operator needs to know why.
		logger.warn(ex.getMessage() + ": " + DatabaseFailures.describe(ex.getCause()));
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable", ex.getMessage()));
	}

	@ExceptionHandler({ SoldOutException.class, NotReleasedException.class })
	ResponseEntity<ProblemDetail> conflict(RuntimeException ex) {
		String title = (ex instanceof SoldOutException) ? "Sold out" : "Not released";
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem(HttpStatus.CONFLICT, title, ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownProduct(UnknownProductException ex) {
		return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Unknown product", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> idempotencyKeyReused(IdempotencyKeyReusedException ex) {
		return ResponseEntity.unprocessableEntity()
			.body(problem(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency key reused", ex.getMessage()));
	}

	@ExceptionHandler({ OrderNotFoundException.class, SneakerNotFoundException.class })
	ResponseEntity<ProblemDetail> notFound(RuntimeException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND)
			.body(problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		logger.error("Unexpected failure", ex);
		return ResponseEntity.internalServerError()
			.body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected error",
					"Something went wrong on our side; the details are in the service's log"));
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String detail = ex.getFieldErrors()
			.stream()
			.map((error) -> error.getField() + " " + error.getDefaultMessage())
			.sorted()
			.collect(Collectors.joining(", "));
		return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Invalid order", detail));
	}

	private static ProblemDetail problem(HttpStatus status, String title, @Nullable String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

}
