package dev.dbchaos.fault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kind of JDBC call a rule applies to.
 *
 * @since 0.1.0
 */
public enum Operation {

	/**
	 * Opening a physical connection ({@code DataSource.getConnection}).
	 */
	CONNECT,

	/**
	 * Running a statement that reads: {@code executeQuery}, or {@code execute} of a
	 * {@code SELECT}, {@code WITH}, {@code SHOW} or {@code VALUES}.
	 */
	QUERY,

	/**
	 * Running a statement that writes: {@code executeUpdate}, batches, or {@code execute}
	 * of DML and DDL.
	 */
	UPDATE,

	/**
	 * Committing a transaction.
	 */
	COMMIT,

	/**
	 * Any of the above. Only meaningful as a rule filter.
	 */
	ANY;

	/**
	 * Return the identifier used in JSON and properties, such as {@code query}.
	 * @return the identifier
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Return whether a rule filtered on this operation applies to a call of the given
	 * one.
	 * @param call the operation of the call
	 * @return whether it matches
	 */
	public boolean matches(Operation call) {
		return this == ANY || this == call;
	}

	/**
	 * Find the operation with the given identifier, ignoring case.
	 * @param id the identifier
	 * @return the operation
	 * @throws IllegalArgumentException if no operation has that identifier
	 */
	public static Operation of(String id) {
		String normalized = id.trim().toUpperCase(Locale.ROOT);
		for (Operation operation : values()) {
			if (operation.name().equals(normalized)) {
				return operation;
			}
		}
		throw new IllegalArgumentException("'" + id + "' is not an operation; expected one of " + ids());
	}

	static String ids() {
		return Arrays.stream(values()).map(Operation::id).collect(Collectors.joining(", "));
	}

	@Override
	public String toString() {
		return id();
	}

}
