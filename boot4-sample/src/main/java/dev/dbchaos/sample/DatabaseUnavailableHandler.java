package dev.dbchaos.sample;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers 503 when the database fails a request, so that a client can tell "try again
 * later" from a bug.
 */
@RestControllerAdvice
class DatabaseUnavailableHandler {

	@ExceptionHandler(DataAccessException.class)
	ProblemDetail databaseUnavailable(DataAccessException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				ex.getMostSpecificCause().getMessage());
		problem.setTitle("Database unavailable");
		return problem;
	}

}
